using System.Globalization;
using System.Net;
using System.Text.Json.Serialization;
using SocketPeer.Bench.Scenarios;
using SocketPeer.Bench.Servers;

namespace SocketPeer.Bench.Cli;

/// <summary>Everything a run is told on its command line; written into the results as they were used.</summary>
public sealed class BenchSettings
{
    public static readonly string[] AllScenarios =
        [PairingStorm.Name, SignallingScenario.Name, RelayScenario.ClosedName, RelayScenario.OpenName, IdleFootprint.Name];

    public List<string> Scenarios { get; set; } = [.. AllScenarios];
    public List<TargetKind> Targets { get; set; } = [TargetKind.SocketPeer, TargetKind.Raw, TargetKind.PeerJs];
    /// <summary>Drive a server someone else started instead (SocketPeer's protocol, loopback only).</summary>
    public string? Url { get; set; }
    public int? ServerPid { get; set; }

    /// <summary>The gateway dll of the <c>socketpeer-base</c> target (another build, for before/after).</summary>
    public string? BaseGateway { get; set; }
    /// <summary>Extra environment for the .NET servers started (experiments, e.g. thread-pool knobs); recorded in the results.</summary>
    public Dictionary<string, string> ServerEnvironment { get; set; } = [];

    /// <summary>Pairs in the signalling and relay scenarios.</summary>
    public int Pairs { get; set; } = 100;
    public int StormPairs { get; set; } = 2000;
    public int IdlePairs { get; set; } = 2500;
    /// <summary>
    /// <c>--idle-seconds</c>: idle, the server's CPU over this long after the memory readings (not
    /// measured unless given); scale, the idle-CPU window at each size (20 unless given).
    /// </summary>
    public double? IdleSeconds { get; set; }
    /// <summary>Idle: the idle-CPU window, 0 for none.</summary>
    [JsonIgnore] public double IdleCpuSeconds => IdleSeconds ?? 0;
    /// <summary>Scale: the idle-CPU window at each size.</summary>
    [JsonIgnore] public double ScaleIdleSeconds => IdleSeconds ?? 20;
    /// <summary>Bytes of each relayed data message, as the client sends it.</summary>
    public int Size { get; set; } = 256;
    /// <summary>Closed loop: messages in flight per direction of each pair (keep it well under the server's 256-message queue).</summary>
    public int Window { get; set; } = 32;
    /// <summary>Open loop: messages per second in total.</summary>
    public double Rate { get; set; } = 5000;
    /// <summary>Signalling: exchanges per second in total.</summary>
    public double ExchangeRate { get; set; } = 100;
    public int Candidates { get; set; } = 4;
    public double Seconds { get; set; } = 10;
    public double WarmupSeconds { get; set; } = 3;
    public int Repeat { get; set; } = 1;
    public int Concurrency { get; set; } = 64;
    /// <summary>Cluster: the layouts to run (their labels, e.g. 2n-local-split); all when empty.</summary>
    public List<string> ClusterLayouts { get; set; } = [];
    /// <summary>Cluster: run each layout again with cluster TLS on (its label ends in <c>-tls</c>).</summary>
    public bool ClusterTls { get; set; }
    /// <summary>Idle footprint of .NET servers also with DOTNET_gcServer=0.</summary>
    public bool GcVariants { get; set; } = true;
    public double MaxQuietWaitSeconds { get; set; } = 120;
    /// <summary>Cores other processes may use for the box to count as quiet.</summary>
    public double QuietCores { get; set; } = 0.3;
    public double MaxMinutes { get; set; } = 30;
    public bool Smoke { get; set; }

    /// <summary>Scale: server sizes in sockets, ascending; <see cref="MaxSize"/> for the most that fit under the server's descriptor limit.</summary>
    public List<int> Sizes { get; set; } = [2500, 5000, 10_000, MaxSize];
    /// <summary>Scale: client processes holding the sockets, each from its own loopback address (127.0.0.2, 127.0.0.3, …).</summary>
    public int ScaleWorkers { get; set; } = 4;
    /// <summary>Scale: the pairs that relay at each size (out of those open), at <see cref="Rate"/> in total.</summary>
    public int ScaleRelayPairs { get; set; } = 1000;
    /// <summary>Scale: sessions of the actor layer alone (two per room); 0 skips it.</summary>
    public int ActorSessions { get; set; } = 100_000;
    [JsonIgnore] public bool Progress { get; set; } = true;
    [JsonIgnore] public string? OutPath { get; set; }

    /// <summary>In <see cref="Sizes"/>: as many sockets as fit under the server's descriptor limit (-1 in the results' settings).</summary>
    public const int MaxSize = -1;

    public const string Usage = """
        SocketPeer.Bench — load generator for SocketPeer and its baselines (docs/benchmarks.md)

          dotnet run -c Release --project bench/SocketPeer.Bench -- [SCENARIOS] [options]

        SCENARIOS (comma-separated, default all): pairing, signalling, relay (= relay-closed,relay-open),
          relay-closed, relay-open, idle; and cluster (relay on two-node clusters, Local vs Hash placement,
          pairs split over the nodes or on one node; not part of all); and scale (up to the descriptor
          limit with client worker processes, and the actor layer alone; not part of all)

        options:
          --targets LIST        socketpeer,raw,peerjs (default all; peerjs needs npm ci --prefix bench/peerjs),
                                socketpeer-base (another gateway build, with --base-gateway)
          --base-gateway DLL    the socketpeer-base build, e.g. an earlier commit built with -o
          --url WS_URL          drive a running server (SocketPeer protocol, 127.0.0.1 only) instead
          --server-pid PID      ...and measure that process
          --server-env K=V      extra environment for the .NET servers started (repeatable)
          --pairs N             pairs for signalling and relay (100)
          --storm-pairs N       pairs in the pairing storm (2000)
          --idle-pairs N        idle pairs, 2 sockets each (2500)
          --idle-seconds S      idle: then the server's CPU over S seconds with the sockets idle (not by default);
                                scale: the idle server CPU window at each size (20)
          --size BYTES          data message size (256)
          --window N            closed loop: messages in flight per direction (32)
          --rate N              open loop: messages/s in total (5000)
          --exchange-rate N     signalling: exchanges/s in total (100)
          --candidates N        ICE candidates per side per exchange (4)
          --seconds S           timed window (10)    --warmup S   warm-up before it (3)
          --repeat N            repeat everything N times, targets interleaved (1)
          --concurrency N       connects in flight (64)
          --cluster-layouts L   cluster: only these layouts (2n-local-split,2n-local-one-node,2n-hash-split,
                                2n-hash-one-node,3n-local-spread)
          --cluster-tls         cluster: each layout also with cluster TLS on (label-tls)
          --no-gc-variants      idle: skip the DOTNET_gcServer=0 variant
          --max-quiet-wait S    wait up to S for other load to stop before each window (120)
          --sizes LIST          scale: sockets per size, ascending; max = the most that fit (2500,5000,10000,max)
          --scale-workers N     scale: client worker processes, one loopback address each (4)
          --scale-relay-pairs N scale: pairs relaying at --rate at each size (1000)
          --actor-sessions N    scale: sessions of the actor layer alone, 0 to skip (100000)
          --max-minutes M       stop the whole run after M minutes (30)
          --out FILE            results JSON (default bench/results/UTC-SCENARIOS.json)
          --smoke               tiny, a few seconds per scenario, socketpeer and raw only, no waiting
          --no-progress         no live display
        """;

    public static BenchSettings Parse(IReadOnlyList<string> args)
    {
        var settings = args.Contains("--smoke") ? SmokeDefaults() : new BenchSettings();
        var targetsGiven = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{arg} needs a value");
            int Int() => int.Parse(Value(), CultureInfo.InvariantCulture);
            double Number() => double.Parse(Value(), CultureInfo.InvariantCulture);
            switch (arg)
            {
                case "--targets":
                    settings.Targets = Value().Split(',', StringSplitOptions.RemoveEmptyEntries).Select(TargetNames.Parse).Distinct().ToList();
                    targetsGiven = true;
                    break;
                case "--url": settings.Url = Value(); break;
                case "--server-pid": settings.ServerPid = Int(); break;
                case "--base-gateway": settings.BaseGateway = Path.GetFullPath(Value()); break;
                case "--server-env":
                    var pair = Value().Split('=', 2);
                    if (pair.Length != 2) throw new ArgumentException("--server-env takes KEY=VALUE");
                    settings.ServerEnvironment[pair[0]] = pair[1];
                    break;
                case "--pairs": settings.Pairs = Int(); break;
                case "--storm-pairs": settings.StormPairs = Int(); break;
                case "--idle-pairs": settings.IdlePairs = Int(); break;
                case "--size": settings.Size = Int(); break;
                case "--window": settings.Window = Int(); break;
                case "--rate": settings.Rate = Number(); break;
                case "--exchange-rate": settings.ExchangeRate = Number(); break;
                case "--candidates": settings.Candidates = Int(); break;
                case "--seconds": settings.Seconds = Number(); break;
                case "--warmup": settings.WarmupSeconds = Number(); break;
                case "--repeat": settings.Repeat = Int(); break;
                case "--concurrency": settings.Concurrency = Int(); break;
                case "--cluster-layouts": settings.ClusterLayouts = [.. Value().Split(',', StringSplitOptions.RemoveEmptyEntries)]; break;
                case "--cluster-tls": settings.ClusterTls = true; break;
                case "--no-gc-variants": settings.GcVariants = false; break;
                case "--max-quiet-wait": settings.MaxQuietWaitSeconds = Number(); break;
                case "--max-minutes": settings.MaxMinutes = Number(); break;
                case "--out": settings.OutPath = Value(); break;
                case "--sizes":
                    settings.Sizes = Value().Split(',', StringSplitOptions.RemoveEmptyEntries)
                        .Select(v => v.Trim() == "max" ? MaxSize : int.Parse(v, CultureInfo.InvariantCulture)).ToList();
                    break;
                case "--scale-workers": settings.ScaleWorkers = Int(); break;
                case "--scale-relay-pairs": settings.ScaleRelayPairs = Int(); break;
                case "--idle-seconds": settings.IdleSeconds = Number(); break;
                case "--actor-sessions": settings.ActorSessions = Int(); break;
                case "--smoke": break;
                case "--no-progress": settings.Progress = false; break;
                case "-h" or "--help": throw new ArgumentException("");
                default:
                    if (arg.StartsWith('-') || i != 0) throw new ArgumentException($"unknown option {arg}");
                    settings.Scenarios = ParseScenarios(arg);
                    break;
            }
        }
        if (settings.Url is not null && !targetsGiven) settings.Targets = [TargetKind.External];
        settings.Validate();
        return settings;
    }

    /// <summary>Tiny and short: the test suite runs this so the harness never rots.</summary>
    public static BenchSettings SmokeDefaults() => new()
    {
        Smoke = true,
        Targets = [TargetKind.SocketPeer, TargetKind.Raw],
        Pairs = 4,
        StormPairs = 20,
        IdlePairs = 10,
        Rate = 200,
        ExchangeRate = 20,
        Window = 8,
        Seconds = 1,
        WarmupSeconds = 0.3,
        GcVariants = false,
        MaxQuietWaitSeconds = 0,
        Concurrency = 8,
        MaxMinutes = 5,
        Sizes = [20, 40],
        ScaleWorkers = 2,
        ScaleRelayPairs = 4,
        IdleSeconds = 1,
        ActorSessions = 200,
    };

    private static List<string> ParseScenarios(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries)
        .SelectMany(name => name.Trim().ToLowerInvariant() switch
        {
            "all" => AllScenarios,
            "relay" => [RelayScenario.ClosedName, RelayScenario.OpenName],
            "signaling" => [SignallingScenario.Name],
            ClusterRelay.Name => [ClusterRelay.Name], // not in "all": it starts two-node clusters, four times per repeat
            ScaleScenario.Name => [ScaleScenario.Name], // not in "all": it holds up to the descriptor limit for minutes
            var s when AllScenarios.Contains(s) => [s],
            var s => throw new ArgumentException($"unknown scenario \"{s}\""),
        }).Distinct().ToList();

    private void Validate()
    {
        if (Pairs < 1 || StormPairs < 1 || IdlePairs < 1 || Repeat < 1 || Concurrency < 1 || Candidates < 1 || Window < 1)
            throw new ArgumentException("counts must be at least 1");
        if (Window > 200) throw new ArgumentException("--window must stay under the server's 256-message outbound queue (at most 200)");
        if (IdleSeconds < 0) throw new ArgumentException("--idle-seconds must not be negative");
        if (Seconds <= 0 || WarmupSeconds < 0 || Rate <= 0 || ExchangeRate <= 0) throw new ArgumentException("times and rates must be positive");
        if (Size < 64 || Size > 60_000) throw new ArgumentException("--size must be 64..60000 bytes");
        if (ScaleWorkers is < 1 or > 200 || ScaleRelayPairs < 1 || ScaleIdleSeconds <= 0 || ActorSessions < 0 || ActorSessions % 2 != 0)
            throw new ArgumentException("--scale-workers must be 1..200, --scale-relay-pairs and --idle-seconds positive, --actor-sessions even");
        if (Sizes.Count == 0 || Sizes.Any(s => s != MaxSize && (s < 0 || s % 2 != 0)) || !Sizes.SequenceEqual(Sizes.Order().Where(s => s != MaxSize).Concat(Sizes.Where(s => s == MaxSize))))
            throw new ArgumentException("--sizes must be ascending even socket counts, max last");
        if (Url is not null && !IsLoopback(Url)) throw new ArgumentException("--url must be a ws:// address on 127.0.0.0/8 or localhost");
    }

    /// <summary>The endpoint and path of <see cref="Url"/>.</summary>
    public (IPEndPoint Endpoint, string Path) ExternalEndpoint()
    {
        var uri = new Uri(Url!);
        var address = uri.Host == "localhost" ? IPAddress.Loopback : IPAddress.Parse(uri.Host);
        return (new IPEndPoint(address, uri.Port), uri.PathAndQuery);
    }

    private static bool IsLoopback(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == "ws" &&
        (uri.Host == "localhost" || (IPAddress.TryParse(uri.Host, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && IPAddress.IsLoopback(ip)));
}
