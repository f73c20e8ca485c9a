using System.Globalization;
using System.Text.Json.Serialization;
using SocketPeer.Chaos.Client;
using SocketPeer.Chaos.Faults;

namespace SocketPeer.Chaos.Cli;

/// <summary>One run's settings, from the command line (<see cref="Usage"/>) or set by a test.</summary>
public sealed class ChaosSettings
{
    public int Nodes { get; set; } = 3;
    public int Pairs { get; set; } = 100;

    [JsonConverter(typeof(JsonStringEnumConverter<FaultKind>))]
    public FaultKind Fault { get; set; } = FaultKind.Kill9;

    /// <summary>Which clients the pairs run (<c>--clients</c>): resume (default), original, or every other pair original.</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<ClientMode>))]
    public ClientMode Clients { get; set; } = ClientMode.Resume;

    /// <summary>Where a pair's two clients connect first (<c>--layout</c>): neighbouring nodes (default) or one node.</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<PairLayout>))]
    public PairLayout Layout { get; set; } = PairLayout.Split;

    /// <summary>Original clients' promise: every pair a fault touched relays again within this many seconds.</summary>
    public double OriginalBoundSeconds { get; set; } = 5;

    /// <summary>Seconds of traffic; the fault comes after a third of them.</summary>
    public double Seconds { get; set; } = 30;

    /// <summary>Application messages per second each client sends to its partner.</summary>
    public double Rate { get; set; } = 4;

    /// <summary>Padding added to each application message, in bytes.</summary>
    public int PayloadBytes { get; set; } = 64;

    /// <summary>The node a single-node fault hits; default the highest ordinal.</summary>
    public int? Victim { get; set; }

    /// <summary>Traffic that goes on after the last fault, at least, so that recovery can show.</summary>
    public double SettleSeconds { get; set; } = 10;

    /// <summary>After traffic stops, how long to wait for what is still in flight (resent, replayed).</summary>
    public double DrainSeconds { get; set; } = 15;

    /// <summary>The whole run is cancelled after this, whatever happens.</summary>
    public double MaxMinutes { get; set; } = 10;

    public RolloutTimings Rollout { get; set; } = new();

    /// <summary>A kustomization to read <see cref="Rollout"/> from (<c>kubectl kustomize</c>), if any.</summary>
    public string? Kustomization { get; set; }

    public double PartitionSeconds { get; set; } = 10;
    public double StuckSeconds { get; set; } = 9;
    /// <summary>Share of pairs whose second client stops reading (at least one pair).</summary>
    public double StuckFraction { get; set; } = 0.1;

    /// <summary>Busy-loop processes that hold cores for the whole run (see <see cref="Faults.CpuBurners"/>).</summary>
    public int CpuBurners { get; set; }

    /// <summary>
    /// Upgrade rehearsal (<c>--upgrade-from DIR</c>): a folder holding an earlier release's published
    /// gateway. The nodes start on it, and the rolling fault brings each back on this build.
    /// </summary>
    public string? UpgradeFrom { get; set; }

    /// <summary>
    /// Upgrade rehearsal (<c>--upgrade-from-commit C</c>): the commit (or <c>previous</c>, the one in
    /// tools/SocketPeer.Chaos/previous-release) built into <see cref="UpgradeFrom"/> before the run.
    /// </summary>
    public string? UpgradeFromCommit { get; set; }

    [JsonIgnore] public bool IsUpgrade => UpgradeFrom is not null || UpgradeFromCommit is not null;

    /// <summary>
    /// Cluster TLS on every node (<c>--cluster-tls</c>), as the production overlay runs: one CA for the
    /// run, one certificate naming every node's address, mutual authentication.
    /// </summary>
    public bool ClusterTls { get; set; }

    /// <summary>Extra environment for every node (<c>--node-env KEY=VALUE</c>).</summary>
    public Dictionary<string, string> NodeEnvironment { get; set; } = [];

    [JsonIgnore] public string? JsonPath { get; set; }
    [JsonIgnore] public string? LogDirectory { get; set; }
    [JsonIgnore] public bool Progress { get; set; } = true;

    public int VictimOrdinal => Victim ?? Nodes - 1;

    public const string Usage = """
        usage: dotnet run -c Release --project tools/SocketPeer.Chaos -- [options]
          --nodes N              gateway processes on loopback (3)
          --pairs P              client pairs (100)
          --layout L             split (a pair's clients on neighbouring nodes) | same-node (split)
          --fault F              none | kill9 | sigterm | rolling | partition | stuck-consumer (kill9)
          --clients C            original | resume | mixed (every other pair original) (resume)
          --original-bound S     original clients: every touched pair relays again within S seconds (5)
          --seconds S            seconds of traffic; the fault comes after a third of them (30)
          --rate R               messages per second each client sends (4)
          --payload BYTES        padding per message (64)
          --victim K             the node kill9 / sigterm / partition hits (the highest ordinal)
          --settle S             traffic at least this long after the last fault (10)
          --drain S              wait this long for messages still in flight at the end (15)
          --max-minutes M        hard stop for the whole run (10)
          --k8s DIR              rolling: read preStop, grace and shutdown timeout from `kubectl kustomize DIR`
          --prestop S --grace S --shutdown-timeout S --min-ready S   rolling timings (5, 25, 15, 10)
          --partition-seconds S  how long the partition lasts (10)
          --stuck-seconds S      how long stuck clients stop reading (9)
          --stuck-fraction F     share of pairs with a stuck client (0.1)
          --cluster-tls          cluster TLS on every node, as in production (a CA made for the run)
          --node-env KEY=VALUE   extra environment for every node (repeatable)
          --upgrade-from DIR     rolling: nodes start on the gateway published in DIR, come back on this build
          --upgrade-from-commit C  as --upgrade-from, building commit C first (cached; `previous`:
                                 the commit in tools/SocketPeer.Chaos/previous-release)
          --cpu-burners N        busy-loop processes holding cores for the whole run (0)
          --json FILE            also write the report as JSON
          --logs DIR             node logs (default: a new directory under /tmp)
          --no-progress          no progress lines
        exit code: 0 every promise held, 1 a promise was broken, 2 the run could not be made
        """;

    public static ChaosSettings Parse(IReadOnlyList<string> args)
    {
        var s = new ChaosSettings();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{arg} needs a value");
            double Number() => double.Parse(Next(), NumberStyles.Float, CultureInfo.InvariantCulture);
            int Whole() => int.Parse(Next(), CultureInfo.InvariantCulture);
            switch (arg)
            {
                case "--nodes": s.Nodes = Whole(); break;
                case "--pairs": s.Pairs = Whole(); break;
                case "--fault": s.Fault = FaultNames.Parse(Next()); break;
                case "--clients": s.Clients = ClientModes.Parse(Next()); break;
                case "--layout": s.Layout = PairLayouts.Parse(Next()); break;
                case "--original-bound": s.OriginalBoundSeconds = Number(); break;
                case "--seconds": s.Seconds = Number(); break;
                case "--rate": s.Rate = Number(); break;
                case "--payload": s.PayloadBytes = Whole(); break;
                case "--victim": s.Victim = Whole(); break;
                case "--settle": s.SettleSeconds = Number(); break;
                case "--drain": s.DrainSeconds = Number(); break;
                case "--max-minutes": s.MaxMinutes = Number(); break;
                case "--k8s": s.Kustomization = Next(); break;
                case "--prestop": s.Rollout.PreStopSeconds = Number(); break;
                case "--grace": s.Rollout.TerminationGraceSeconds = Number(); break;
                case "--shutdown-timeout": s.Rollout.ShutdownTimeoutSeconds = Number(); break;
                case "--min-ready": s.Rollout.MinReadySeconds = Number(); break;
                case "--partition-seconds": s.PartitionSeconds = Number(); break;
                case "--stuck-seconds": s.StuckSeconds = Number(); break;
                case "--stuck-fraction": s.StuckFraction = Number(); break;
                case "--node-env":
                    var pair = Next();
                    var eq = pair.IndexOf('=');
                    if (eq <= 0) throw new ArgumentException($"--node-env wants KEY=VALUE, not {pair}");
                    s.NodeEnvironment[pair[..eq]] = pair[(eq + 1)..];
                    break;
                case "--cpu-burners": s.CpuBurners = Whole(); break;
                case "--cluster-tls": s.ClusterTls = true; break;
                case "--upgrade-from": s.UpgradeFrom = Next(); break;
                case "--upgrade-from-commit": s.UpgradeFromCommit = Next(); break;
                case "--json": s.JsonPath = Next(); break;
                case "--logs": s.LogDirectory = Next(); break;
                case "--no-progress": s.Progress = false; break;
                case "-h" or "--help": throw new ArgumentException("");
                default: throw new ArgumentException($"unknown option {arg}");
            }
        }
        // The run sets UpgradeFrom to the folder it built UpgradeFromCommit into; on the command line it is one or the other.
        if (s.UpgradeFrom is not null && s.UpgradeFromCommit is not null)
            throw new ArgumentException("--upgrade-from and --upgrade-from-commit both name the old build: give one");
        s.Validate();
        return s;
    }

    public void Validate()
    {
        if (Nodes < 2) throw new ArgumentException("--nodes must be at least 2: the split layout puts a pair's clients on different nodes");
        if (Pairs < 1) throw new ArgumentException("--pairs must be at least 1");
        if (CpuBurners is < 0 or > 16) throw new ArgumentException("--cpu-burners must be 0..16");
        if (OriginalBoundSeconds <= 0) throw new ArgumentException("--original-bound must be positive");
        if (Seconds <= 0 || Rate <= 0) throw new ArgumentException("--seconds and --rate must be positive");
        if (VictimOrdinal < 0 || VictimOrdinal >= Nodes) throw new ArgumentException($"--victim must be 0..{Nodes - 1}");
        if (Fault is FaultKind.Kill9 or FaultKind.Sigterm or FaultKind.Partition && Nodes < 3)
            throw new ArgumentException("this fault needs at least 3 nodes, so that a majority survives it");
        if (IsUpgrade && Fault != FaultKind.Rolling)
            throw new ArgumentException("an upgrade (--upgrade-from, --upgrade-from-commit) is a rolling fault: add --fault rolling");
    }
}

/// <summary>
/// The timings of a Kubernetes rolling update that matter to a stop: Service endpoints drop the pod,
/// preStop sleeps, SIGTERM, the host has <c>DOTNET_SHUTDOWNTIMEOUTSECONDS</c> to stop, the kubelet
/// sends SIGKILL at <c>terminationGracePeriodSeconds</c>, and the next pod waits for the replaced one
/// to be ready for <c>minReadySeconds</c>. Defaults: deploy/k8s/base.
/// </summary>
public sealed class RolloutTimings
{
    public double PreStopSeconds { get; set; } = 5;
    public double TerminationGraceSeconds { get; set; } = 25;
    public double ShutdownTimeoutSeconds { get; set; } = 15;
    public double MinReadySeconds { get; set; } = 10;
    /// <summary>Where these came from: "defaults", "options" or the kustomization read.</summary>
    public string Source { get; set; } = "defaults";
}
