using System.Reflection;

namespace SocketPeer.Chaos.Nodes;

/// <summary>Paths baked into this assembly at build time (see SocketPeer.Chaos.csproj).</summary>
public static class BuildPaths
{
    /// <summary>The gateway built in the same configuration as this harness.</summary>
    public static string GatewayDll => Metadata("GatewayDll");

    public static string RepoRoot => Metadata("RepoRoot");

    private static string Metadata(string key) =>
        typeof(BuildPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"assembly metadata {key} missing");
}
