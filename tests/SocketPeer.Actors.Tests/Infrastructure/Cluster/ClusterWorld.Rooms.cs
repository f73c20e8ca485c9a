using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Sessions;

namespace SocketPeer.Actors.Tests.Infrastructure.Cluster;

/// <summary>
/// Rooms of a <see cref="ClusterWorld"/>, emulating <see cref="RoomActor"/>: it applies
/// <see cref="RoomState"/>, tells sessions through the region, passivates when empty (what reaches
/// it after that makes the next incarnation), and runs the seat check's actor side: a seat whose
/// holder's node looks lost is vacated when a join arrives and every 250 ms while a check runs, and
/// every seat not vouched for is vacated at the check's 2 s deadline.
/// </summary>
internal sealed partial class ClusterWorld
{
    public static readonly TimeSpan SeatCheckDeadline = RoomActor.SeatCheckDeadline;

    /// <summary>RoomActor's ReachabilityPoll (private there).</summary>
    public static readonly TimeSpan ReachabilityPoll = TimeSpan.FromMilliseconds(250);

    private void ToRoom(IWithPairCode message, Envelope envelope)
    {
        if (!_rooms.TryGetValue(message.Code, out var room))
        {
            room = new RoomEntity(NewRef($"room:{message.Code}", envelope.To), RoomState.Empty(message.Code));
            _rooms[message.Code] = room;
            Note($"    new entity {room.Self}");
        }
        // RoomActor.RememberEntity: the sender speaks for its seat.
        if (envelope.Sender is { } sender && message switch { JoinRoom m => m.Session, SeatHeld m => m.Session, MemberBack m => m.Session, _ => (SessionId?)null } is { } speaker)
            room.Entities[speaker] = sender;
        if (message is JoinRoom join)
        {
            VacateUnreachableSeats(room); // a newcomer never pairs with, nor is turned away by, a seat on a lost node
            Apply(room, room.State.Handle(join, DoubtfulSeats(room)));
        }
        else
        {
            Apply(room, StateInputs.Room(room.State, message));
        }
    }

    /// <summary>RoomActor.DoubtfulSeats: the lone member, if the node its id names is no member any more.</summary>
    private IReadOnlyCollection<SessionId> DoubtfulSeats(RoomEntity room) =>
        room.State is { Seats.Length: 1, Check: null } && !room.State.Seats[0].Away && IsRemovedNode(room.State.Seats[0].Session)
            ? [room.State.Seats[0].Session]
            : [];

    /// <summary>SessionNodeStatus.IsRemoved: the node the id names was removed (a restarted node is a new member).</summary>
    private bool IsRemovedNode(SessionId session) =>
        _namedNode.TryGetValue(session, out var node) && _nodes.StatusOf(node) == NodeStatus.Removed;

    /// <summary>
    /// SessionNodeStatus.IsUnreachable as seen from a survivor: the node the id names is marked unreachable,
    /// or its remoting connection was reset (LostConnections: a killed process's kernel resets its
    /// sockets at once; a silent node resets nothing). A removed node counts as reachable: its
    /// sessions are rebuilt where they are asked for.
    /// </summary>
    private bool LooksLost(SessionId session) =>
        _namedNode.TryGetValue(session, out var node) && _nodes.StatusOf(node) switch
        {
            NodeStatus.Unreachable => true,
            NodeStatus.Crashed => _connectionsReset.Contains(node),
            _ => false,
        };

    private void VacateUnreachableSeats(RoomEntity room)
    {
        foreach (var seat in room.State.Seats)
            if (!seat.Away && LooksLost(seat.Session))
            {
                Note($"    room {room.Self}: {seat.Session}'s node looks lost");
                Apply(room, room.State.Handle(new SeatVacant(room.State.Code, seat.Session)));
            }
    }

    private void VacateUnvouchedSeats(RoomEntity room)
    {
        if (room.State.Check is not { } check) return;
        foreach (var seat in room.State.Seats)
            if (!seat.Away && !check.Vouched.Contains(seat.Session))
                Apply(room, room.State.Handle(new SeatVacant(room.State.Code, seat.Session)));
    }

    private void Apply(RoomEntity room, RoomTransition t)
    {
        room.State = t.State;
        Note($"    room {room.Self} holds [{string.Join(", ", t.State.Seats.Select(s => s.Away ? $"{s.Session} (away)" : $"{s.Session}"))}]"
            + (t.State.Check is { } c ? $", checking for [{string.Join(", ", c.Newcomers.Select(j => j.Session))}]" : ""));
        MaxMembers = Math.Max(MaxMembers, t.State.Members.Length);
        DuplicateMember |= t.State.Members.Distinct().Count() != t.State.Members.Length;
        foreach (var n in t.Notifications)
        {
            if (n is CheckSeat && IsAlive(room.Self))
            {
                // A check starts: it ends by the deadline at the latest, sooner if a holder's node is lost.
                StartRoomTimer(room, "SeatCheckExpired", SeatCheckDeadline, periodic: false, VacateUnvouchedSeats);
                StartRoomTimer(room, "PollReachability", ReachabilityPoll, periodic: true, VacateUnreachableSeats);
            }
            ToSessionRegion(room.Self, n, n is PeerFound found ? room.Entities.GetValueOrDefault(found.Partner) : null);
        }
        foreach (var session in room.Entities.Keys)
            if (!t.State.Seats.Any(s => s.Session == session) && t.State.Check?.Waits(session) != true)
                room.Entities.Remove(session);
        if (t.State.Check is null) CancelRoomTimers(room);
        if (t.State.IsEmpty && IsAlive(room.Self))
        {
            _rooms.Remove(t.State.Code); // passivates: what comes next makes a new incarnation
            CancelRoomTimers(room);
            Terminate(room.Self);
        }
    }

    /// <summary>Timers.StartSingleTimer / StartPeriodicTimer: the same key replaces the running timer.</summary>
    private void StartRoomTimer(RoomEntity room, string key, TimeSpan interval, bool periodic, Action<RoomEntity> fire)
    {
        if (room.Timers.Remove(key, out var running)) running.Cancel();
        room.Timers[key] = _clock.Start(interval, $"{key} of {room.Self}", () =>
        {
            room.Timers.Remove(key);
            if (!IsAlive(room.Self)) return;
            if (periodic) StartRoomTimer(room, key, interval, periodic, fire);
            fire(room);
        });
    }

    private static void CancelRoomTimers(RoomEntity room)
    {
        foreach (var timer in room.Timers.Values) timer.Cancel();
        room.Timers.Clear();
    }
}
