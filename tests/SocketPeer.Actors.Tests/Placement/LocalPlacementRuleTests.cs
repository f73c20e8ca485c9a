using Akka.Actor;
using Akka.TestKit.Xunit2;
using SocketPeer.Actors.Placement;
using SocketPeer.Actors.Sessions;

namespace SocketPeer.Actors.Tests.Placement;

public sealed class LocalPlacementRuleTests : TestKit
{
    private static readonly NodeKey A = new("aaaaaa"), B = new("bbbbbb"), C = new("cccccc");
    private readonly IActorRef _a, _b, _c;

    public LocalPlacementRuleTests()
    {
        _a = CreateTestProbe("a").Ref;
        _b = CreateTestProbe("b").Ref;
        _c = CreateTestProbe("c").Ref;
    }

    private static string ShardOf(NodeKey node) =>
        new LocalSessionMessageExtractor(16).ShardId(SessionId.NewOn(node).Value);

    [Fact]
    public void A_shard_goes_to_the_node_its_sessions_name_whoever_asks()
    {
        var regions = new[] { new RegionCandidate(_a, A, true, 5), new RegionCandidate(_b, B, true, 0), new RegionCandidate(_c, C, true, 0) };

        Assert.Equal(_a, LocalPlacementRule.Choose(ShardOf(A), requester: _b, regions));
    }

    [Fact]
    public void When_the_named_node_is_gone_the_asking_node_takes_the_shard()
    {
        var regions = new[] { new RegionCandidate(_b, B, true, 9), new RegionCandidate(_c, C, true, 0) };

        Assert.Equal(_b, LocalPlacementRule.Choose(ShardOf(A), requester: _b, regions));
    }

    [Fact]
    public void A_leaving_named_node_gets_no_new_shards()
    {
        var regions = new[] { new RegionCandidate(_a, A, false, 0), new RegionCandidate(_b, B, true, 3) };

        Assert.Equal(_b, LocalPlacementRule.Choose(ShardOf(A), requester: _b, regions));
    }

    [Fact]
    public void When_neither_the_named_nor_the_asking_node_can_take_it_the_least_busy_does()
    {
        var proxy = CreateTestProbe("proxy").Ref; // a requester that hosts no shards
        var regions = new[] { new RegionCandidate(_b, B, true, 4), new RegionCandidate(_c, C, true, 1) };

        Assert.Equal(_c, LocalPlacementRule.Choose(ShardOf(A), requester: proxy, regions));
    }

    [Fact]
    public void Sessions_that_name_no_node_stay_where_they_were_first_used()
    {
        var regions = new[] { new RegionCandidate(_a, A, true, 0), new RegionCandidate(_c, C, true, 0) };
        var shard = new LocalSessionMessageExtractor(16).ShardId(SessionId.New().Value);

        Assert.StartsWith(LocalSessionMessageExtractor.Unplaced + "-", shard);
        Assert.Equal(_c, LocalPlacementRule.Choose(shard, requester: _c, regions));
    }

    [Fact]
    public void A_nodes_sessions_spread_over_its_own_shards_only()
    {
        var extractor = new LocalSessionMessageExtractor(16);

        var shards = Enumerable.Range(0, 2000).Select(_ => extractor.ShardId(SessionId.NewOn(A).Value)).ToHashSet();

        Assert.Equal(16, shards.Count);
        Assert.All(shards, shard => Assert.Equal(A.Value, LocalSessionMessageExtractor.NodeOf(shard)));
    }

    [Fact]
    public void Extractors_built_apart_agree_on_a_sessions_shard()
    {
        var id = SessionId.NewOn(A);

        Assert.Equal(new LocalSessionMessageExtractor(16).ShardId(new ClientLeave(id)),
            new LocalSessionMessageExtractor(16).ShardId(new ConnectionClosed(id)));
    }
}
