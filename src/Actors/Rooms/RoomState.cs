using System.Collections.Immutable;
using SocketPeer.Actors.Sessions;

namespace SocketPeer.Actors.Rooms;

/// <summary>
/// The room of one pair code: <c>Empty → Waiting(a) → Paired(a, b)</c>, a third is <c>busy</c>.
/// Pure: <see cref="Handle"/> returns the next state and the notifications to send to sessions;
/// the actor only delivers them. Once paired, the room is out of the relay path.
/// </summary>
public sealed record RoomState(PairCode Code, ImmutableArray<SessionId> Members)
{
    public const int Capacity = 2;

    public static RoomState Empty(PairCode code) => new(code, ImmutableArray<SessionId>.Empty);

    public bool IsEmpty => Members.IsEmpty;

    public RoomTransition Handle(JoinRoom join) => Join(join.Session);

    public RoomTransition Handle(LeaveRoom leave) => Leave(leave.Session);

    private RoomTransition Join(SessionId newcomer)
    {
        var index = Members.IndexOf(newcomer);
        if (index >= 0)
            return new(this, [RepeatStatusTo(newcomer, index)]); // idempotent: never pairs a session with itself

        return Members.Length switch
        {
            0 => new(this with { Members = [newcomer] }, [new WaitingForPeer(newcomer, Code)]),
            1 => new(this with { Members = [Members[0], newcomer] },
            [
                // The waiting member hears first; the newcomer is the initiator (original protocol).
                new PeerFound(Members[0], Code, newcomer, Initiator: false),
                new PeerFound(newcomer, Code, Members[0], Initiator: true),
            ]),
            _ => new(this, [new RoomBusy(newcomer, Code)]),
        };
    }

    private IWithSessionId RepeatStatusTo(SessionId member, int index) =>
        Members.Length == 1
            ? new WaitingForPeer(member, Code)
            : new PeerFound(member, Code, Members[1 - index], Initiator: index == 1);

    private RoomTransition Leave(SessionId leaving)
    {
        if (!Members.Contains(leaving))
            return new(this, []);

        var remaining = Members.Remove(leaving);
        var next = this with { Members = remaining };
        return remaining.IsEmpty
            ? new(next, [])
            : new(next, [new PartnerLeft(remaining[0], Code, leaving)]);
    }
}

/// <summary>The room after a command, and what each affected session must be told.</summary>
public sealed record RoomTransition(RoomState State, IReadOnlyList<IWithSessionId> Notifications);
