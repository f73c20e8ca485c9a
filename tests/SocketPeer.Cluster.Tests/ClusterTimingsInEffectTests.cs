using Akka.Cluster;
using SocketPeer.Actors.Cluster;
using SocketPeer.Testing;

namespace SocketPeer.Cluster.Tests;

/// <summary>The downing timings (docs/architecture.md section 6) reach the running actor system, typed or generated.</summary>
public sealed class ClusterTimingsInEffectTests
{
    [Fact]
    public async Task The_default_timings_are_what_the_running_cluster_uses()
    {
        await using var node = await SocketPeerServer.StartAsync();
        var config = node.System.Settings.Config;
        var settings = Akka.Cluster.Cluster.Get(node.System).Settings;
        var expected = new ClusterTimings();

        Assert.Equal(expected.HeartbeatInterval, config.GetTimeSpan("akka.cluster.failure-detector.heartbeat-interval"));
        Assert.Equal(expected.AcceptableHeartbeatPause, config.GetTimeSpan("akka.cluster.failure-detector.acceptable-heartbeat-pause"));
        Assert.Equal(expected.FailureDetectorThreshold, config.GetDouble("akka.cluster.failure-detector.threshold"));
        Assert.Equal(expected.StableAfter, config.GetTimeSpan("akka.cluster.split-brain-resolver.stable-after"));
        Assert.Equal(expected.DownRemovalMargin, config.GetTimeSpan("akka.cluster.down-removal-margin"));
        Assert.Equal("keep-majority", config.GetString("akka.cluster.split-brain-resolver.active-strategy"));
        Assert.Contains("SplitBrainResolverProvider", config.GetString("akka.cluster.downing-provider-class"));
        Assert.Equal(expected.DownRemovalMargin, Akka.Cluster.Cluster.Get(node.System).DowningProvider.DownRemovalMargin);
        Assert.Equal(expected.LeaderActionsInterval, settings.LeaderActionsInterval);
        Assert.Equal(expected.UnreachableNodesReaperInterval, settings.UnreachableNodesReaperInterval);
        Assert.Equal(expected.GossipInterval, settings.GossipInterval);
        Assert.Equal(expected.HeartbeatInterval, settings.HeartbeatInterval);
        Assert.Equal(expected.SchedulerTick, config.GetTimeSpan("akka.scheduler.tick-duration"));
        Assert.Equal(TimeSpan.FromMilliseconds(50), expected.SchedulerTick); // docs/benchmarks.md, "Idle CPU"
        Assert.Equal(TimeSpan.FromSeconds(1), expected.DownRemovalMargin); // docs/architecture.md section 6, the slower set
        Assert.Equal(TimeSpan.FromSeconds(3), expected.StableAfter);
    }

    [Fact]
    public async Task Every_timing_can_be_set_from_configuration()
    {
        const string prefix = "SocketPeer:Cluster:Timings:";
        await using var node = await SocketPeerServer.StartAsync(
            (prefix + "HeartbeatInterval", "00:00:00.4"),
            (prefix + "AcceptableHeartbeatPause", "00:00:02.5"),
            (prefix + "FailureDetectorThreshold", "10"),
            (prefix + "StableAfter", "00:00:03"),
            (prefix + "DownRemovalMargin", "00:00:00.5"),
            (prefix + "LeaderActionsInterval", "00:00:00.35"),
            (prefix + "UnreachableNodesReaperInterval", "00:00:00.45"),
            (prefix + "GossipInterval", "00:00:00.55"),
            (prefix + "SchedulerTick", "00:00:00.025"));
        var config = node.System.Settings.Config;
        var settings = Akka.Cluster.Cluster.Get(node.System).Settings;

        Assert.Equal(TimeSpan.FromMilliseconds(400), config.GetTimeSpan("akka.cluster.failure-detector.heartbeat-interval"));
        Assert.Equal(TimeSpan.FromMilliseconds(2500), config.GetTimeSpan("akka.cluster.failure-detector.acceptable-heartbeat-pause"));
        Assert.Equal(10, config.GetDouble("akka.cluster.failure-detector.threshold"));
        Assert.Equal(TimeSpan.FromSeconds(3), config.GetTimeSpan("akka.cluster.split-brain-resolver.stable-after"));
        Assert.Equal(TimeSpan.FromMilliseconds(500), Akka.Cluster.Cluster.Get(node.System).DowningProvider.DownRemovalMargin);
        Assert.Equal(TimeSpan.FromMilliseconds(350), settings.LeaderActionsInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(450), settings.UnreachableNodesReaperInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(550), settings.GossipInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(25), config.GetTimeSpan("akka.scheduler.tick-duration"));
    }

    [Fact]
    public async Task A_node_binds_one_address_and_advertises_another()
    {
        await using var node = await SocketPeerServer.StartAsync(
            ("SocketPeer:Cluster:Hostname", "0.0.0.0"), ("SocketPeer:Cluster:PublicHostname", "localhost"));

        Assert.Equal("localhost", node.ClusterAddress.Host);
        Assert.Equal(MemberStatus.Up, Akka.Cluster.Cluster.Get(node.System).SelfMember.Status);
    }
}
