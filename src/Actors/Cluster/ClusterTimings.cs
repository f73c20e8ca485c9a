using System.Globalization;
using Akka.Configuration;
using Akka.Remote.Hosting;

namespace SocketPeer.Actors.Cluster;

/// <summary>
/// How fast the cluster notices a lost node and moves on (docs/architecture.md section 6, <c>SocketPeer:Cluster:Timings</c>).
/// The defaults are the slower set of docs/failover.md, "Timings" (a kill -9'd node's shards relay again in ~8.5 s;
/// the Akka defaults take ~46 s): the faster set (300 ms / 1.5 s / 1.5 s / 300 ms, ~5.5 s) downed
/// healthy nodes here on a 2-core box loaded 20 deep (docs/failover.md), and a node downed by
/// mistake drops every socket it holds, which costs far more than three seconds of recovery.
/// Recovery ≈ detection (heartbeat + acceptable pause) + <see cref="StableAfter"/> + removal
/// (leader actions, gossip) + <see cref="DownRemovalMargin"/> + re-allocation. docs/failover.md has the figures.
/// </summary>
public sealed class ClusterTimings
{
    /// <summary>How often each node sends a heartbeat to the nodes that monitor it.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Heartbeats that may go missing (GC, a busy CPU) before a node is suspected.</summary>
    public TimeSpan AcceptableHeartbeatPause { get; set; } = TimeSpan.FromMilliseconds(2500);

    /// <summary>Phi accrual threshold: higher suspects later and more surely.</summary>
    public double FailureDetectorThreshold { get; set; } = 8;

    /// <summary>How long the membership must stay unchanged before the split brain resolver downs the unreachable side.</summary>
    public TimeSpan StableAfter { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Extra wait after a node is downed before it is removed (and its shards move). Without it Akka
    /// falls back to <see cref="StableAfter"/> and pays it twice (docs/architecture.md section 6).
    /// </summary>
    public TimeSpan DownRemovalMargin { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the leader moves members along (joining → up, down → removed).</summary>
    public TimeSpan LeaderActionsInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How often a node turns failure-detector suspicions into unreachability.</summary>
    public TimeSpan UnreachableNodesReaperInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How often a node gossips its view of the membership.</summary>
    public TimeSpan GossipInterval { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// How often Akka's scheduler wakes to fire what is due (<c>akka.scheduler.tick-duration</c>; Akka's
    /// default is 10 ms, its minimum). Every Akka timer, heartbeats and gossip included, fires on the
    /// first tick at or after its deadline, so a tick late by at most this much. Each tick wakes a
    /// thread-pool worker whether anything is due or not, and was most of a node's CPU at rest
    /// (docs/benchmarks.md, "Idle CPU"). 50 ms is a fifth of the shortest interval above and of the
    /// shortest timer in the code (250 ms), and a fiftieth of the acceptable heartbeat pause.
    /// </summary>
    public TimeSpan SchedulerTick { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The settings Akka.Hosting has a typed option for (<c>ClusterOptions.FailureDetector</c>).</summary>
    public PhiAccrualFailureDetectorOptions ToFailureDetectorOptions() => new()
    {
        HeartbeatInterval = HeartbeatInterval,
        AcceptableHeartbeatPause = AcceptableHeartbeatPause,
        Threshold = FailureDetectorThreshold,
    };

    /// <summary>
    /// The only HOCON this project writes. Akka.Hosting 1.5.73 has no typed option for these keys:
    /// <c>SplitBrainResolverOption</c> has no stable-after, <c>ClusterOptions</c> has no
    /// down-removal-margin, gossip or leader-actions interval, and
    /// <c>PhiAccrualFailureDetectorOptions.UnreachableNodesReaperInterval</c> is written inside
    /// <c>akka.cluster.failure-detector</c>, where the cluster never reads it (it reads
    /// <c>akka.cluster.unreachable-nodes-reaper-interval</c>). So they are generated here from the typed
    /// values; a test reads every one back from the running system's configuration. Nor has it one for
    /// the scheduler's tick (<see cref="SchedulerTick"/>).
    /// </summary>
    public Config ToUntypedConfig() => ConfigurationFactory.ParseString($$"""
        akka.scheduler.tick-duration = {{Hocon(SchedulerTick)}}
        akka.cluster {
          down-removal-margin = {{Hocon(DownRemovalMargin)}}
          leader-actions-interval = {{Hocon(LeaderActionsInterval)}}
          unreachable-nodes-reaper-interval = {{Hocon(UnreachableNodesReaperInterval)}}
          gossip-interval = {{Hocon(GossipInterval)}}
          split-brain-resolver.stable-after = {{Hocon(StableAfter)}}
        }
        """);

    private static string Hocon(TimeSpan value) =>
        ((long)Math.Round(value.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture) + "ms";
}
