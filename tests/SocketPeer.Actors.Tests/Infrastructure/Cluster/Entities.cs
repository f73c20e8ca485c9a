using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Sessions;

namespace SocketPeer.Actors.Tests.Infrastructure.Cluster;

/// <summary>
/// One incarnation of a sharded entity, like an <c>IActorRef</c>: the same address (room code,
/// session id) gets a new incarnation after a stop or a node's loss.
/// </summary>
internal sealed record EntityRef(string Address, long Incarnation, NodeId Node)
{
    public override string ToString() => $"{Address}#{Incarnation}@{Node}";
}

/// <summary>Akka's <c>Terminated</c>: a watched incarnation stopped, or its node was removed.</summary>
internal sealed record Terminated(EntityRef Who);

/// <summary>
/// A message on its way. <see cref="To"/> is the node the sender's shard region resolved the
/// receiver to when it sent (a cached shard home): a message sent to a node that is down is lost.
/// <see cref="Direct"/>: told to that incarnation, not through the region (gone: dead letters).
/// <see cref="Introduces"/>: the partner's incarnation a room's <c>PeerFound</c> carries (<c>PartnerRef</c>).
/// </summary>
internal sealed record Envelope(object Message, EntityRef? Sender, NodeId From, NodeId To, EntityRef? Direct = null,
    EntityRef? Introduces = null);

/// <summary>What a <see cref="PeerSessionActor"/> holds besides its <see cref="SessionState"/>.</summary>
internal sealed class SessionEntity(EntityRef self, SessionState state)
{
    public EntityRef Self { get; } = self;
    public SessionState State { get; set; } = state;
    public bool Attached { get; set; }
    public EntityRef? Room { get; set; }
    public PairCode? RoomCode { get; set; }
    public EntityRef? Partner { get; set; }

    // PartnerRoute, with entity refs for actor refs.
    public SessionId? RoutePartner { get; set; }
    public EntityRef? RouteRef { get; set; }
    public HashSet<SessionId> RegionUsedFor { get; } = [];
    public bool RouteVouched { get; set; }

    /// <summary>The actor's timers by key, as <c>Timers.StartSingleTimer</c> keeps them.</summary>
    public Dictionary<string, SimTimer> Timers { get; } = [];
}

/// <summary>What a <see cref="RoomActor"/> holds.</summary>
internal sealed class RoomEntity(EntityRef self, RoomState state)
{
    public EntityRef Self { get; } = self;
    public RoomState State { get; set; } = state;

    /// <summary>The incarnation that last spoke for each seat (RoomActor's entities).</summary>
    public Dictionary<SessionId, EntityRef> Entities { get; } = [];

    /// <summary>The actor's timers by key.</summary>
    public Dictionary<string, SimTimer> Timers { get; } = [];
}
