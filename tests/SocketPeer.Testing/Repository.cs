namespace SocketPeer.Testing;

/// <summary>The repository the tests run from: the folder above the test binaries that holds SocketPeer.sln.</summary>
public static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SocketPeer.sln")))
                return dir.FullName;
        throw new InvalidOperationException("SocketPeer.sln not found above " + AppContext.BaseDirectory);
    }
}
