using System.Diagnostics;
using System.Reflection;

namespace SocketPeer.Bench.Servers;

/// <summary>How to start one kind of server: command line, environment, and the path that says it is ready.</summary>
public sealed class ServerLaunch(Func<ProcessStartInfo> startInfo, string readyPath)
{
    public string ReadyPath { get; } = readyPath;

    /// <summary>The command line; the server listens on 127.0.0.1 port 0 and prints the port it got.</summary>
    public ProcessStartInfo StartInfo() => startInfo();

    /// <summary>
    /// The servers this build can start. Limits are raised far past the benchmark's load (per-connection
    /// rate, per-address sockets): they are features under test elsewhere, here they would only refuse.
    /// </summary>
    /// <param name="workstationGc">Run a .NET server with DOTNET_gcServer=0 (the idle-footprint variant).</param>
    /// <param name="environment">Extra environment for the .NET servers (--server-env).</param>
    /// <param name="baseGatewayDll">The gateway build of <see cref="TargetKind.SocketPeerBase"/> (--base-gateway).</param>
    public static ServerLaunch For(TargetKind kind, bool workstationGc, IReadOnlyDictionary<string, string>? environment = null,
        string? baseGatewayDll = null) => kind switch
        {
            TargetKind.SocketPeer => Gateway(BuildPaths.GatewayDll, workstationGc, environment),
            TargetKind.SocketPeerBase => Gateway(baseGatewayDll ?? throw new ArgumentException("socketpeer-base needs --base-gateway"),
                workstationGc, environment),
            TargetKind.Raw => Dotnet(BuildPaths.RawRelayDll, workstationGc, environment, "/ready"),
            TargetKind.PeerJs => new ServerLaunch(() =>
                new ProcessStartInfo("node", ["--expose-gc", Path.Combine(BuildPaths.PeerJsDir, "server.mjs"), "0"])
                {
                    WorkingDirectory = BuildPaths.PeerJsDir,
                }, "/"),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

    /// <summary>
    /// One SocketPeer node of a loopback cluster: remoting on <paramref name="remotingPort"/>, joining
    /// <paramref name="seed"/> (none: it starts the cluster), sessions placed by <paramref name="placement"/>
    /// (<c>Local</c> or <c>Hash</c>, SocketPeer:Cluster:SessionPlacement).
    /// </summary>
    public static ServerLaunch ClusterNode(int remotingPort, string? seed, string placement,
        IReadOnlyDictionary<string, string>? environment = null, IEnumerable<(string Key, string Value)>? settings = null) =>
        Dotnet(BuildPaths.GatewayDll, workstationGc: false, environment, "/ready",
        [
            "--SocketPeer:MessagesPerSecond=100000", "--SocketPeer:MessageBurst=100000",
            "--SocketPeer:ConnectionsPerAddress=100000", .. LiftedAddressLimits, $"--SocketPeer:Cluster:Port={remotingPort}",
            $"--SocketPeer:Cluster:SessionPlacement={placement}",
            .. seed is null ? Array.Empty<string>() : [$"--SocketPeer:Cluster:SeedNodes={seed}"],
            .. (settings ?? []).Select(s => $"--{s.Key}={s.Value}"),
        ]);

    /// <summary>
    /// The per-address rate limits, lifted too: every load client comes from one address (an older gateway ignores them).
    /// And no default STUN list: the load clients make no WebRTC connection, and `session` messages stay the size they were.
    /// </summary>
    private static readonly string[] LiftedAddressLimits =
        [.. new[] { "ConnectsPerMinute", "ConnectBurst", "PairsPerMinute", "PairBurst", "BusyPerMinute", "BusyBurst", "Ice:CredentialsPerMinute", "Ice:CredentialBurst" }.Select(key => $"--SocketPeer:{key}=100000"),
            "--SocketPeer:Ice:DefaultStun=false"];

    private static ServerLaunch Gateway(string dll, bool workstationGc, IReadOnlyDictionary<string, string>? environment) =>
        Dotnet(dll, workstationGc, environment, "/ready",
        [
            "--SocketPeer:MessagesPerSecond=100000", "--SocketPeer:MessageBurst=100000",
            "--SocketPeer:ConnectionsPerAddress=100000", .. LiftedAddressLimits, "--SocketPeer:Cluster:Port=0",
        ]);

    /// <summary>Why <paramref name="kind"/> cannot run here, or null when it can.</summary>
    public static string? Unavailable(TargetKind kind, string? baseGatewayDll = null) => kind switch
    {
        TargetKind.SocketPeerBase when baseGatewayDll is null || !File.Exists(baseGatewayDll) =>
            $"--base-gateway {baseGatewayDll ?? "(not given)"}: no such gateway build",
        TargetKind.SocketPeer when !File.Exists(BuildPaths.GatewayDll) => $"{BuildPaths.GatewayDll} is not built",
        TargetKind.Raw when !File.Exists(BuildPaths.RawRelayDll) => $"{BuildPaths.RawRelayDll} is not built",
        TargetKind.PeerJs when !Directory.Exists(Path.Combine(BuildPaths.PeerJsDir, "node_modules", "peer")) =>
            $"PeerJS is not installed: npm ci --prefix {BuildPaths.PeerJsDir}",
        TargetKind.PeerJs when !NodeRuns() => "node is not on PATH",
        _ => null,
    };

    private static ServerLaunch Dotnet(string dll, bool workstationGc, IReadOnlyDictionary<string, string>? environment,
        string readyPath, params string[] args) => new(() =>
    {
        // Kestrel logs "Now listening on: http://127.0.0.1:PORT" (Microsoft.Hosting.Lifetime, Information).
        var start = new ProcessStartInfo("dotnet", [dll, "--urls", "http://127.0.0.1:0", .. args])
        {
            // The content root, so the server reads its own appsettings.json (logging levels).
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_gcServer"] = workstationGc ? "0" : null;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        return start;
    }, readyPath);

    private static bool NodeRuns()
    {
        try
        {
            using var node = Process.Start(new ProcessStartInfo("node", "--version") { RedirectStandardOutput = true, UseShellExecute = false });
            return node is not null && node.WaitForExit(10_000) && node.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}

/// <summary>Paths baked into this assembly at build time (see SocketPeer.Bench.csproj).</summary>
public static class BuildPaths
{
    public static string GatewayDll => Metadata("GatewayDll");
    public static string RawRelayDll => Metadata("RawRelayDll");
    public static string PeerJsDir => Metadata("PeerJsDir");
    public static string ResultsDir => Metadata("ResultsDir");
    public static string BenchDll => Metadata("BenchDll");

    private static string Metadata(string key) =>
        typeof(BuildPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"assembly metadata {key} missing");
}
