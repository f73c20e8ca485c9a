using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using SocketPeer.Actors.Cluster;
using SocketPeer.Actors.Mailboxes;
using SocketPeer.Actors.Sessions;

namespace SocketPeer.Actors.Rooms;

/// <summary>Registry key of the room shard region (or of its proxy on a node that hosts no rooms).</summary>
public sealed class RoomRegion;

/// <summary>Routes <see cref="IWithPairCode"/> messages; shard ids come from a stable hash of the code.</summary>
public sealed class RoomMessageExtractor(int maxShards) : HashCodeMessageExtractor(maxShards)
{
    public override string? EntityId(object message) => message is IWithPairCode m ? m.Code.Value : null;
}

public static class RoomRegistration
{
    public const string TypeName = "room";

    /// <summary>
    /// Starts the room shard region (see docs/architecture.md section 4) on a node with <paramref name="roles"/>
    /// that <see cref="ShardingSettings.HostsRooms"/>; any other node starts a proxy, which hosts no
    /// room and routes to the nodes of <see cref="ShardingSettings.RoomRole"/>.
    /// </summary>
    public static AkkaConfigurationBuilder AddRooms(this AkkaConfigurationBuilder builder, ShardingSettings sharding,
        IReadOnlyCollection<string> roles)
    {
        var extractor = new RoomMessageExtractor(sharding.MaxShards);
        if (!sharding.HostsRooms(roles))
            return builder.WithShardRegionProxy<RoomRegion>(TypeName, sharding.RoomRole!, extractor);
        return builder.AddEntityMailbox().WithShardRegion<RoomRegion>(TypeName,
            (_, registry, _) => code =>
            {
                var sessions = registry.Get<SessionRegion>();
                var rooms = registry.Get<RoomRegion>();
                // Not Props.Create(() => new ...): that form evaluates its expression tree for every
                // entity, which costs more than the rest of a pairing. On the entity mailbox: an idle
                // room holds no queue slots.
                return new Props(EntityMailbox.Deploy, typeof(RoomActor), new PairCode(code), sessions, rooms);
            },
            extractor,
            sharding.RoomShardOptions());
    }
}
