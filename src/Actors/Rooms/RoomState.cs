using System.Collections.Immutable;
using SocketPeer.Actors.Sessions;

namespace SocketPeer.Actors.Rooms;

/// <summary>One member of a room: its session, the join attempt that put it there, and whether it resumes.</summary>
public readonly record struct RoomSeat(SessionId Session, long Attempt, bool Resumable = false);

/// <summary>
/// The room of one pair code: <c>Empty → Waiting(a) → Paired(a, b)</c>, a third is <c>busy</c>.
/// Pure: <see cref="Handle(JoinRoom)"/> returns the next state and the notifications to send to
/// sessions; the actor only delivers them. Once paired, the room is out of the relay path. Every
/// notification echoes the join attempt of the member it addresses (see <see cref="JoinRoom"/>).
/// </summary>
public sealed record RoomState(PairCode Code, ImmutableArray<RoomSeat> Seats)
{
    public const int Capacity = 2;

    public static RoomState Empty(PairCode code) => new(code, ImmutableArray<RoomSeat>.Empty);

    public ImmutableArray<SessionId> Members => [.. Seats.Select(s => s.Session)];

    public bool IsEmpty => Seats.IsEmpty;

    public RoomTransition Handle(JoinRoom join)
    {
        var seat = new RoomSeat(join.Session, join.Attempt, join.Resumable);
        var index = IndexOf(join.Session);
        if (index >= 0)
        {
            // Idempotent: the same session again (never paired with itself); answer its latest attempt.
            var again = this with { Seats = Seats.SetItem(index, seat) };
            return new(again, [again.StatusOf(index)]);
        }

        return Seats.Length switch
        {
            0 => new(this with { Seats = [seat] }, [new WaitingForPeer(seat.Session, Code, seat.Attempt)]),
            1 => new(this with { Seats = [Seats[0], seat] },
            [
                // The waiting member hears first; the newcomer is the initiator (original protocol).
                new PeerFound(Seats[0].Session, Code, seat.Session, Initiator: false, Seats[0].Attempt, seat.Resumable),
                new PeerFound(seat.Session, Code, Seats[0].Session, Initiator: true, seat.Attempt, Seats[0].Resumable),
            ]),
            _ => new(this, [new RoomBusy(seat.Session, Code, seat.Attempt)]),
        };
    }

    public RoomTransition Handle(LeaveRoom leave)
    {
        var index = IndexOf(leave.Session);
        if (index < 0)
            return new(this, []);

        var next = this with { Seats = Seats.RemoveAt(index) };
        return next.Seats.IsEmpty
            ? new(next, [])
            : new(next, [new PartnerLeft(next.Seats[0].Session, Code, leave.Session, next.Seats[0].Attempt)]);
    }

    private int IndexOf(SessionId session)
    {
        for (var i = 0; i < Seats.Length; i++)
            if (Seats[i].Session == session) return i;
        return -1;
    }

    private IWithSessionId StatusOf(int index)
    {
        var seat = Seats[index];
        return Seats.Length == 1
            ? new WaitingForPeer(seat.Session, Code, seat.Attempt)
            : new PeerFound(seat.Session, Code, Seats[1 - index].Session, Initiator: index == 1, seat.Attempt,
                Seats[1 - index].Resumable);
    }
}

/// <summary>The room after a command, and what each affected session must be told.</summary>
public sealed record RoomTransition(RoomState State, IReadOnlyList<IWithSessionId> Notifications);
