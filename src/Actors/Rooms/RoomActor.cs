using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster.Sharding;
using SocketPeer.Actors.Diagnostics;
using SocketPeer.Actors.Placement;
using SocketPeer.Actors.Sessions;

namespace SocketPeer.Actors.Rooms;

/// <summary>
/// The sharded entity of one pair code: a thin shell around <see cref="RoomState"/>. It hears
/// only joins and leaves; relay between partners never passes through it.
/// </summary>
public sealed class RoomActor : UntypedActor, IWithTimers
{
    /// <summary>
    /// How long a seat check waits for a holder's answer before the seat counts as vacant. A live
    /// holder answers in milliseconds; one on a crashed node never does, and its node is usually known
    /// lost before this runs out (at once for a crashed process, whose connection was reset; ~3 s for a
    /// node that went silent). So this bounds the rest (a holder lost without its node being suspected:
    /// a message lost in a hand-off, say), and is what a third client with the code waits, at most,
    /// for its <c>busy</c>.
    /// </summary>
    public static readonly TimeSpan SeatCheckDeadline = TimeSpan.FromSeconds(2);

    /// <summary>While a check runs, how often the holders' nodes are looked up in the cluster's reachability.</summary>
    private static readonly TimeSpan ReachabilityPoll = TimeSpan.FromMilliseconds(250);

    private readonly IActorRef _sessions;
    private readonly IActorRef _rooms;
    private RoomState _state;
    private bool _stopping;

    /// <summary>
    /// The traced joins of the members (<see cref="JoinRoom.Trace"/>), which the pairing's span links
    /// to; null until a traced join arrives, so a room that traces nothing holds nothing for it.
    /// </summary>
    private Dictionary<SessionId, TraceContext>? _joins;

    /// <summary>
    /// The entity of each member, and of each newcomer a seat check holds: the sender of what it last
    /// told this room about its seat (a join, its answer to a check, its return). <see cref="PeerFound"/>
    /// carries the partner's, so a session can tell its partner directly from the pairing on
    /// (<see cref="PartnerRoute"/>). An array, not a dictionary: a room has two members, rarely a
    /// newcomer more, and lives as long as its pair.
    /// </summary>
    private (SessionId Session, IActorRef Entity)[] _entities = [];

    public ITimerScheduler Timers { get; set; } = null!;

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
            case JoinRoom join:
                if (join.Trace is not null) (_joins ??= [])[join.Session] = join.Trace;
                RememberEntity(join.Session);
                VacateUnreachableSeats(); // a newcomer never pairs with, nor is turned away by, a seat on a lost node
                Apply(_state.Handle(join, DoubtfulSeats()));
                break;
            case LeaveRoom leave: Apply(_state.Handle(leave)); break;
            case MemberAway away: Apply(_state.Handle(away)); break;
            case MemberBack back:
                RememberEntity(back.Session);
                Apply(_state.Handle(back));
                break;
            case SeatHeld held:
                RememberEntity(held.Session);
                Apply(_state.Handle(held));
                break;
            case SeatVacant vacant: Apply(_state.Handle(vacant)); break;
            case PollReachability: VacateUnreachableSeats(); break;
            case SeatCheckExpired: VacateUnvouchedSeats(); break;
            default: Unhandled(message); break;
        }
    }

    /// <summary>
    /// Seats whose holders' nodes are lost (marked unreachable, or their connection reset and not back:
    /// <see cref="SessionNodeStatus.IsUnreachable"/>) count as vacant.
    /// </summary>
    private void VacateUnreachableSeats()
    {
        foreach (var seat in _state.Seats)
            if (!seat.Away && SessionNodeStatus.IsUnreachable(Context.System, seat.Session))
                Apply(_state.Handle(new SeatVacant(_state.Code, seat.Session)));
    }

    /// <summary>
    /// The lone member, if its id names a node that is no member of the cluster any more: a newcomer
    /// is paired with it only once it answers for its seat (see <see cref="RoomState.Handle(JoinRoom, IReadOnlyCollection{SessionId})"/>).
    /// Looked up only for a room of one: a full room checks its seats anyway.
    /// </summary>
    private IReadOnlyCollection<SessionId> DoubtfulSeats() =>
        _state is { Seats.Length: 1, Check: null } && !_state.Seats[0].Away && SessionNodeStatus.IsRemoved(Context.System, _state.Seats[0].Session)
            ? [_state.Seats[0].Session]
            : [];

    /// <summary>The check's deadline: a holder asked that has not vouched for its seat by now does not hold it.</summary>
    private void VacateUnvouchedSeats()
    {
        if (_state.Check is not { } check) return;
        foreach (var seat in _state.Seats)
            if (check.Holders.Contains(seat.Session) && !seat.Away && !check.Vouched.Contains(seat.Session))
                Apply(_state.Handle(new SeatVacant(_state.Code, seat.Session)));
    }

    private void Apply(RoomTransition transition)
    {
        _state = transition.State;
        using var pairing = StartPairing(transition.Notifications);
        var trace = TraceContext.Of(pairing);
        foreach (var n in transition.Notifications)
        {
            var notification = n is PeerFound found ? found with { Trace = trace, PartnerRef = EntityOf(found.Partner) } : n;
            if (notification is CheckSeat)
            {
                // A check starts: it ends by the deadline at the latest, sooner if a holder's node is lost.
                Timers.StartSingleTimer(nameof(SeatCheckExpired), SeatCheckExpired.Instance, SeatCheckDeadline);
                Timers.StartPeriodicTimer(nameof(PollReachability), PollReachability.Instance, ReachabilityPoll);
            }
            _sessions.Tell(notification);
        }
        if (_state.Check is null)
        {
            Timers.Cancel(nameof(SeatCheckExpired));
            Timers.Cancel(nameof(PollReachability));
        }
        ForgetJoinsOfLeftMembers();
        ForgetEntitiesOfLeftMembers();
        if (_state.IsEmpty && !_stopping)
        {
            _stopping = true;
            Context.Parent.Tell(new Passivate(PoisonPill.Instance)); // an empty room holds nothing worth keeping
        }
    }

    /// <summary>
    /// The root of a pairing's trace, when the transition pairs two sessions and something listens:
    /// linked to the spans of both members' joins, and the parent of both sessions' <c>peer.found</c>
    /// spans (docs/operations.md, "Tracing").
    /// </summary>
    private Activity? StartPairing(IReadOnlyList<IWithSessionId> notifications)
    {
        if (!SocketPeerTracing.Source.HasListeners()) return null;
        PeerFound? initiator = null;
        foreach (var n in notifications)
            if (n is PeerFound { Initiator: true } found) initiator = found;
        if (initiator is null) return null;
        var links = new List<ActivityLink>(2);
        if (_joins is not null)
        {
            TraceContext.AddLink(links, _joins.GetValueOrDefault(initiator.Session));
            TraceContext.AddLink(links, _joins.GetValueOrDefault(initiator.Partner));
        }
        return SocketPeerTracing.StartRoot(SocketPeerTracing.RoomPair, ActivityKind.Internal, Context.System, links)
            ?.SetTag(SocketPeerTracing.SessionTag, initiator.Session.Value)
            .SetTag(SocketPeerTracing.PartnerTag, initiator.Partner.Value);
    }

    /// <summary>A join's trace is kept only while its session holds a seat here.</summary>
    private void ForgetJoinsOfLeftMembers()
    {
        if (_joins is null) return;
        foreach (var session in _joins.Keys)
            if (!_state.Seats.Any(seat => seat.Session == session) && _state.Check?.Waits(session) != true)
                _joins.Remove(session);
    }

    /// <summary>The sender speaks for <paramref name="session"/>'s seat: it is that session's entity now.</summary>
    private void RememberEntity(SessionId session)
    {
        if (Sender.IsNobody()) return;
        for (var i = 0; i < _entities.Length; i++)
        {
            if (_entities[i].Session != session) continue;
            _entities[i].Entity = Sender;
            return;
        }
        _entities = [.. _entities, (session, Sender)];
    }

    private IActorRef? EntityOf(SessionId session)
    {
        foreach (var (member, entity) in _entities)
            if (member == session) return entity;
        return null;
    }

    /// <summary>An entity is kept only while its session holds a seat here or waits for one.</summary>
    private void ForgetEntitiesOfLeftMembers()
    {
        if (!_entities.All(e => Holds(e.Session))) _entities = [.. _entities.Where(e => Holds(e.Session))];
    }

    private bool Holds(SessionId session) =>
        _state.Seats.Any(seat => seat.Session == session) || _state.Check?.Waits(session) == true;

    private sealed record SeatCheckExpired
    {
        public static readonly SeatCheckExpired Instance = new();
    }

    private sealed record PollReachability
    {
        public static readonly PollReachability Instance = new();
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
