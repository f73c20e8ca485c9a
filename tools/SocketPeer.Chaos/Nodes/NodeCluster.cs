using System.Security.Cryptography;
using SocketPeer.Chaos.Cli;

namespace SocketPeer.Chaos.Nodes;

/// <summary>
/// The N gateway processes of a run, configured as the production StatefulSet is (every node a seed,
/// node 0 first; one shared resume secret), on loopback or, for a partition run, each in its own
/// network namespace. Keeps every process it ever started, for the exit codes in the report.
/// </summary>
public sealed class NodeCluster : IAsyncDisposable
{
    public static readonly TimeSpan ReadyWithin = TimeSpan.FromSeconds(90);

    private readonly ChaosSettings _settings;
    private readonly NodeProcess?[] _current;
    private readonly List<NodeProcess> _all = [];
    private readonly string _resumeSecret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private readonly NetworkLab? _lab;
    private readonly NodeTlsFiles? _tls;

    private NodeCluster(ChaosSettings settings, IReadOnlyList<NodeSpec> specs, NetworkLab? lab, string logDirectory)
    {
        _settings = settings;
        Specs = specs;
        _lab = lab;
        _tls = settings.ClusterTls ? TlsFilesFor(specs) : null;
        LogDirectory = logDirectory;
        _current = new NodeProcess?[specs.Count];
        Endpoints = new Endpoints(specs);
    }

    public IReadOnlyList<NodeSpec> Specs { get; }
    public Endpoints Endpoints { get; }
    public string LogDirectory { get; }
    public NetworkLab? Lab => _lab;
    public NodeProcess? this[int ordinal] => _current[ordinal];

    /// <summary>What the nodes start on: this build, or in an upgrade rehearsal the earlier release's.</summary>
    public GatewayBuild FirstBuild => _settings.UpgradeFrom is { } folder ? GatewayBuild.Release(folder, _settings.UpgradeFromCommit) : GatewayBuild.Current;
    public IReadOnlyList<NodeProcess> EveryProcess => _all;

    /// <summary>Starts every node at once (podManagementPolicy: Parallel) and waits until all are ready.</summary>
    public static async Task<NodeCluster> StartAsync(ChaosSettings settings, bool inNamespaces, CancellationToken cancel)
    {
        var logDirectory = settings.LogDirectory ?? Path.Combine(Path.GetTempPath(), "socketpeer-chaos", $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{settings.Fault.ToString().ToLowerInvariant()}");
        Directory.CreateDirectory(logDirectory);
        var lab = inNamespaces ? NetworkLab.Create(settings.Nodes) : null;
        var ports = FreePorts.Take(2 * settings.Nodes);
        var specs = Enumerable.Range(0, settings.Nodes)
            .Select(i => new NodeSpec(i, lab?.AddressOf(i) ?? "127.0.0.1", ports[2 * i], ports[2 * i + 1], lab?.NamespaceOf(i)))
            .ToList();
        var cluster = new NodeCluster(settings, specs, lab, logDirectory);
        try
        {
            for (var i = 0; i < specs.Count; i++) cluster.StartProcess(i, cluster.FirstBuild);
            await Task.WhenAll(specs.Select(s => cluster.WaitReadyAsync(s.Ordinal, cancel)));
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
        return cluster;
    }

    /// <summary>
    /// Starts node <paramref name="ordinal"/> again on its own ports (its previous run must have ended),
    /// always on this build: a restart is how a rollout brings a node onto the new release.
    /// </summary>
    public async Task RestartAsync(int ordinal, CancellationToken cancel)
    {
        if (_current[ordinal] is { HasExited: false }) throw new InvalidOperationException($"node-{ordinal} still runs");
        StartProcess(ordinal, GatewayBuild.Current);
        await WaitReadyAsync(ordinal, cancel);
    }

    public async Task WaitReadyAsync(int ordinal, CancellationToken cancel)
    {
        await _current[ordinal]!.WaitReadyAsync(ReadyWithin, cancel);
        Endpoints.MarkReady(ordinal, true);
    }

    private void StartProcess(int ordinal, GatewayBuild build)
    {
        var spec = Specs[ordinal];
        var log = Path.Combine(LogDirectory, $"{spec.Name}.log");
        var process = NodeProcess.Start(spec, build, Environment(spec), log);
        _current[ordinal] = process;
        lock (_all) _all.Add(process);
    }

    private Dictionary<string, string> Environment(NodeSpec spec)
    {
        var env = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = spec.HttpBase.ToString().TrimEnd('/'),
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["SocketPeer__Cluster__Hostname"] = spec.Address,
            ["SocketPeer__Cluster__Port"] = spec.RemotingPort.ToString(),
            // Every node a seed, node 0 first, as in the production overlay: a restarted node 0 then
            // rejoins the running cluster through the others instead of starting one of its own.
            ["SocketPeer__Cluster__SeedNodes"] = string.Join(',', Specs.Select(s => s.AkkaAddress)),
            // The per-connection limits protect a public server; here they would only refuse the load.
            ["SocketPeer__MessagesPerSecond"] = "100000",
            ["SocketPeer__MessageBurst"] = "100000",
            ["SocketPeer__ConnectionsPerAddress"] = "100000",
            // So would the per-address rate limits: every client comes from one address.
            ["SocketPeer__ConnectsPerMinute"] = "100000",
            ["SocketPeer__ConnectBurst"] = "100000",
            ["SocketPeer__PairsPerMinute"] = "100000",
            ["SocketPeer__PairBurst"] = "100000",
            ["SocketPeer__BusyPerMinute"] = "100000",
            ["SocketPeer__BusyBurst"] = "100000",
            ["SocketPeer__Ice__CredentialsPerMinute"] = "100000",
            ["SocketPeer__Ice__CredentialBurst"] = "100000",
            // The clients make no WebRTC connection; a run hands out no public STUN servers (an
            // older release, in an upgrade rehearsal, ignores the key).
            ["SocketPeer__Ice__DefaultStun"] = "false",
            // One secret on every node, so any node accepts a token another node issued.
            ["SocketPeer__Resume__Secret"] = _resumeSecret,
            ["DOTNET_SHUTDOWNTIMEOUTSECONDS"] = _settings.Rollout.ShutdownTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // N nodes and the clients share the machine: one GC heap each.
            ["DOTNET_gcServer"] = "0",
        };
        if (_tls is not null)
            foreach (var (key, value) in _tls.Settings(validateHostname: true))
                env[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        foreach (var (key, value) in _settings.NodeEnvironment) env[key] = value;
        return env;
    }

    /// <summary>One CA for the run and one certificate every node presents, naming each node's address (hostnames validated, as in production).</summary>
    private static NodeTlsFiles TlsFilesFor(IReadOnlyList<NodeSpec> specs)
    {
        using var authority = LocalCertificateAuthority.Create("socketpeer-chaos-ca");
        using var certificate = authority.Issue("socketpeer-chaos-node", [.. specs.Select(s => s.Address).Distinct()]);
        return new NodeTlsFiles(certificate, authority.Certificate);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _all.ToArray()) await process.DisposeAsync();
        _lab?.Dispose();
        _tls?.Dispose();
    }
}
