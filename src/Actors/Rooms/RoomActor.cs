using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using SocketPeer.Actors.Cluster;
using SocketPeer.Actors.Sessions;

namespace SocketPeer.Actors.Rooms;

/// <summary>
/// The sharded entity of one pair code: a thin shell around <see cref="RoomState"/>. It hears
/// only joins and leaves; relay between partners never passes through it.
/// </summary>
public sealed class RoomActor : UntypedActor
{
    private readonly IActorRef _sessions;
    private readonly IActorRef _rooms;
    private RoomState _state;
    private bool _stopping;

    public RoomActor(PairCode code, IActorRef sessions, IActorRef rooms)
    {
        _sessions = sessions;
        _rooms = rooms;
        _state = RoomState.Empty(code);
    }

    /// <summary>A switch, not <c>Receive&lt;T&gt;</c>: no delegates and matcher built per room (see PeerSessionActor).</summary>
    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case JoinRoom join: Apply(_state.Handle(join)); break;
            case LeaveRoom leave: Apply(_state.Handle(leave)); break;
            case MemberAway away: Apply(_state.Handle(away)); break;
            case MemberBack back: Apply(_state.Handle(back)); break;
            default: Unhandled(message); break;
        }
    }

    private void Apply(RoomTransition transition)
    {
        _state = transition.State;
        foreach (var notification in transition.Notifications)
            _sessions.Tell(notification);
        if (_state.IsEmpty && !_stopping)
        {
            _stopping = true;
            Context.Parent.Tell(new Passivate(PoisonPill.Instance)); // an empty room holds nothing worth keeping
        }
    }

    /// <summary>After asking to passivate, joins still arriving go back through the region to the next incarnation.</summary>
    protected override bool AroundReceive(Receive receive, object message)
    {
        if (_stopping && message is IWithPairCode)
        {
            _rooms.Forward(message);
            return true;
        }
        return base.AroundReceive(receive, message);
    }
}

/// <summary>Registry key of the room shard region.</summary>
public sealed class RoomRegion;

/// <summary>Routes <see cref="IWithPairCode"/> messages; shard ids come from a stable hash of the code.</summary>
public sealed class RoomMessageExtractor(int maxShards) : HashCodeMessageExtractor(maxShards)
{
    public override string? EntityId(object message) => message is IWithPairCode m ? m.Code.Value : null;
}

public static class RoomRegistration
{
    public const string TypeName = "room";

    /// <summary>Starts the room shard region (see DESIGN.md section 4).</summary>
    public static AkkaConfigurationBuilder AddRooms(this AkkaConfigurationBuilder builder, ShardingSettings sharding) =>
        builder.WithShardRegion<RoomRegion>(TypeName,
            (_, registry, _) => code =>
            {
                var sessions = registry.Get<SessionRegion>();
                var rooms = registry.Get<RoomRegion>();
                // Not Props.Create(() => new ...): that form evaluates its expression tree for every
                // entity, which costs more than the rest of a pairing.
                return Props.Create(typeof(RoomActor), new PairCode(code), sessions, rooms);
            },
            new RoomMessageExtractor(sharding.MaxShards),
            sharding.ToShardOptions());
}
