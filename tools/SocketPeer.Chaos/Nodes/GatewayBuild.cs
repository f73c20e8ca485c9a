namespace SocketPeer.Chaos.Nodes;

/// <summary>
/// A gateway a node can run: this build (the one the harness was built with) or an earlier
/// release's published folder (an upgrade rehearsal). <paramref name="Name"/> is what the report
/// shows: "current", or the release's commit (its folder's name when no commit is known).
/// </summary>
public sealed record GatewayBuild(string Name, string Dll, bool IsCurrent)
{
    public static GatewayBuild Current => new("current", BuildPaths.GatewayDll, IsCurrent: true);

    public static GatewayBuild Release(string folder, string? commit) =>
        new(ShortName(folder, commit), Path.Combine(Path.GetFullPath(folder), ReleaseBuilds.GatewayDllName), IsCurrent: false);

    private static string ShortName(string folder, string? commit)
    {
        var name = commit ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)));
        // A full commit hash (a cached build's folder) reads better short, as git prints it.
        return name.Length == 40 && name.All(Uri.IsHexDigit) ? name[..7] : name;
    }
}
