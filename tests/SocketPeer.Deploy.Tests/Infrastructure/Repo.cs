namespace SocketPeer.Deploy.Tests.Infrastructure;

/// <summary>Paths in the repository the tests run from.</summary>
internal static class Repo
{
    public static string Root { get; } = FindRoot();

    /// <summary>A path under the repository root, written with forward slashes.</summary>
    public static string Path(string relative) => System.IO.Path.Combine(Root, relative);

    public static string Read(string relative) => File.ReadAllText(Path(relative));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "SocketPeer.sln")))
                return dir.FullName;
        throw new InvalidOperationException($"No SocketPeer.sln above {AppContext.BaseDirectory}.");
    }
}
