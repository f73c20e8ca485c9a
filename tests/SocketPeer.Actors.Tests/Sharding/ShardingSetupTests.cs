using Akka.Cluster.Sharding;
using SocketPeer.Actors.Cluster;
using SocketPeer.Actors.Placement;
using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Sessions;

namespace SocketPeer.Actors.Tests.Sharding;

public sealed class ShardingSetupTests
{
    /// <summary>The shard id as a shard region computes it.</summary>
    private static string ShardOf(IMessageExtractor extractor, object message) =>
        extractor.ShardId(extractor.EntityId(message)!, message);

    [Fact]
    public void Room_extractors_built_apart_agree_on_the_shard_of_a_code()
    {
        var join = new JoinRoom(new PairCode("chat-42"), SessionId.New());
        var leave = new LeaveRoom(new PairCode("chat-42"), SessionId.New());

        Assert.Equal(ShardOf(new RoomMessageExtractor(100), join), ShardOf(new RoomMessageExtractor(100), leave));
    }

    [Fact]
    public void Session_extractors_built_apart_agree_on_the_shard_of_an_id()
    {
        var id = SessionId.New();

        Assert.Equal(ShardOf(new HashSessionMessageExtractor(100), new ClientLeave(id)),
            ShardOf(new HashSessionMessageExtractor(100), new PartnerRelay(id, SessionId.New(), new PairCode("c"), RelayKind.Data, [])));
    }

    /// <remarks>
    /// Pinned values: every node of every process must agree, and <c>string.GetHashCode</c> is
    /// randomised per process, so a hash that changed between runs would fail here.
    /// </remarks>
    [Theory]
    [InlineData("chat-42", "37")]
    [InlineData("lobby", "91")]
    public void Room_shard_ids_are_the_same_in_every_process(string code, string shard)
    {
        Assert.Equal(shard, ShardOf(new RoomMessageExtractor(100), new JoinRoom(new PairCode(code), SessionId.New())));
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef", "71")]
    [InlineData("s1", "58")]
    public void Session_shard_ids_are_the_same_in_every_process(string id, string shard)
    {
        Assert.Equal(shard, ShardOf(new HashSessionMessageExtractor(100), new ClientLeave(new SessionId(id))));
    }

    [Fact]
    public void Messages_for_another_entity_kind_are_not_routed()
    {
        Assert.Null(new RoomMessageExtractor(100).EntityId(new ClientLeave(SessionId.New())));
        Assert.Null(new HashSessionMessageExtractor(100).EntityId(new JoinRoom(new PairCode("c"), SessionId.New())));
    }

    [Fact]
    public void Shard_options_remember_no_entities_and_never_passivate_idle_ones()
    {
        var sharding = new ShardingSettings();

        foreach (var options in new[] { sharding.RoomShardOptions(), sharding.SessionShardOptions() })
        {
            Assert.False(options.RememberEntities);
            Assert.False(options.ShouldPassivateIdleEntities);
            Assert.Null(options.PassivateIdleEntityAfter);
            Assert.Equal(StateStoreMode.DData, options.StateStoreMode);
        }
    }

    [Fact]
    public void The_room_role_restricts_the_room_region_only()
    {
        var sharding = ShardingSettings.From(new ClusterSettings { RoomRole = "rooms" });

        Assert.Equal("rooms", sharding.RoomShardOptions().Role);
        Assert.Null(sharding.SessionShardOptions().Role);
        Assert.True(sharding.HostsRooms(["gateway", "rooms"]));
        Assert.False(sharding.HostsRooms(["gateway"]));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    public void Without_a_room_role_every_node_hosts_rooms(string? role)
    {
        var sharding = ShardingSettings.From(new ClusterSettings { RoomRole = role });

        Assert.Null(sharding.RoomRole);
        Assert.Null(sharding.RoomShardOptions().Role);
        Assert.True(sharding.HostsRooms([]));
    }
}
