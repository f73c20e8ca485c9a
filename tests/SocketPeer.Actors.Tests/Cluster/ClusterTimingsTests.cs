using SocketPeer.Actors.Cluster;

namespace SocketPeer.Actors.Tests.Cluster;

public sealed class ClusterTimingsTests
{
    [Fact]
    public void The_generated_config_holds_exactly_the_keys_Akka_Hosting_cannot_type()
    {
        var timings = new ClusterTimings
        {
            StableAfter = TimeSpan.FromMilliseconds(1750),
            DownRemovalMargin = TimeSpan.FromMilliseconds(400),
            LeaderActionsInterval = TimeSpan.FromMilliseconds(200),
            UnreachableNodesReaperInterval = TimeSpan.FromMilliseconds(220),
            GossipInterval = TimeSpan.FromMilliseconds(350),
            SchedulerTick = TimeSpan.FromMilliseconds(20),
        };

        var config = timings.ToUntypedConfig();

        Assert.Equal(TimeSpan.FromMilliseconds(1750), config.GetTimeSpan("akka.cluster.split-brain-resolver.stable-after"));
        Assert.Equal(TimeSpan.FromMilliseconds(400), config.GetTimeSpan("akka.cluster.down-removal-margin"));
        Assert.Equal(TimeSpan.FromMilliseconds(200), config.GetTimeSpan("akka.cluster.leader-actions-interval"));
        Assert.Equal(TimeSpan.FromMilliseconds(220), config.GetTimeSpan("akka.cluster.unreachable-nodes-reaper-interval"));
        Assert.Equal(TimeSpan.FromMilliseconds(350), config.GetTimeSpan("akka.cluster.gossip-interval"));
        Assert.Equal(TimeSpan.FromMilliseconds(20), config.GetTimeSpan("akka.scheduler.tick-duration"));
        Assert.False(config.HasPath("akka.cluster.failure-detector")); // typed: ClusterOptions.FailureDetector
    }

    [Fact]
    public void Every_default_interval_is_a_whole_number_of_scheduler_ticks()
    {
        // Akka's wheel rounds a deadline up to its next tick: whole ticks keep the intervals exact.
        var timings = new ClusterTimings();
        foreach (var interval in new[] { timings.HeartbeatInterval, timings.LeaderActionsInterval,
                     timings.UnreachableNodesReaperInterval, timings.GossipInterval })
            Assert.Equal(0, interval.Ticks % timings.SchedulerTick.Ticks);
        Assert.True(timings.SchedulerTick > TimeSpan.FromMilliseconds(10)); // coarser than Akka's default
    }

    [Fact]
    public void The_failure_detector_options_carry_the_typed_timings()
    {
        var options = new ClusterTimings().ToFailureDetectorOptions();

        Assert.Equal(TimeSpan.FromMilliseconds(500), options.HeartbeatInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(2500), options.AcceptableHeartbeatPause);
        Assert.Equal(8, options.Threshold);
    }
}
