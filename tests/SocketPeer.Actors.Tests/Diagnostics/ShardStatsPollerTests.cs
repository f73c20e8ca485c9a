using System.Collections.Immutable;
using System.Diagnostics.Metrics;
using Akka.Cluster.Sharding;
using Akka.TestKit.Xunit2;
using SocketPeer.Actors.Diagnostics;

namespace SocketPeer.Actors.Tests.Diagnostics;

public sealed class ShardStatsPollerTests : TestKit
{
    private readonly SocketPeerMetrics _metrics = new(new Meters());

    [Fact]
    public void A_shard_hosted_at_one_poll_and_gone_at_the_next_counts_as_handed_off()
    {
        var region = CreateTestProbe();
        Sys.ActorOf(ShardStatsPoller.Props(region.Ref, SocketPeerMetrics.SessionsRegion, _metrics, TimeSpan.FromMilliseconds(100)));

        Answer(region, ["1", "2", "3"]);
        AwaitAssert(() => Assert.Equal((3L, 0L), _metrics.ShardsOf(SocketPeerMetrics.SessionsRegion)));
        // Shard 5 did not answer in time: still hosted, not handed off.
        Answer(region, ["2", "4"], failed: ["5"]);

        AwaitAssert(() => Assert.Equal((3L, 2L), _metrics.ShardsOf(SocketPeerMetrics.SessionsRegion)));
        Assert.Equal((0L, 0L), _metrics.ShardsOf(SocketPeerMetrics.RoomsRegion));
    }

    private static void Answer(Akka.TestKit.TestProbe region, string[] shards, string[]? failed = null)
    {
        region.ExpectMsg<GetShardRegionStats>();
        region.Reply(new ShardRegionStats(shards.ToImmutableDictionary(id => id, _ => 1), [.. failed ?? []]));
    }

    protected override void Dispose(bool disposing)
    {
        _metrics.Dispose();
        base.Dispose(disposing);
    }

    private sealed class Meters : IMeterFactory
    {
        public Meter Create(MeterOptions options) => new(options);

        public void Dispose()
        {
        }
    }
}
