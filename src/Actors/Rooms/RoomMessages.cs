using SocketPeer.Actors.Diagnostics;
using SocketPeer.Actors.Sessions;

namespace SocketPeer.Actors.Rooms;

/// <summary>A message addressed to the room of one pair code (the shard key).</summary>
public interface IWithPairCode : ISocketPeerMessage
{
    PairCode Code { get; }
}

/// <summary>
/// Session → room: put me in this room. <see cref="Attempt"/> numbers the session's joins, and the
/// room's answers echo it, so a session that left and joined again never takes an answer to its
/// earlier join for an answer to the current one.
/// <see cref="Resumable"/> tells the partner-to-be that this session keeps its pairing through a
/// reconnect, so what is sent to it must be kept until its client acknowledges it.
/// <see cref="Partner"/> is set when the session is already paired and joins again (the room was lost,
/// or the pairing was confirmed after a rebuild): the partner's seat is its own pairing, not a seat to
/// take over even while the partner's client is away.
/// <see cref="Replaces"/> is set by a successor session (its predecessor's node is unreachable): it
/// takes the predecessor's seat, whatever the predecessor's state.
/// <see cref="Trace"/>: the span that asked for the seat (<c>socketpeer.session.join</c>, or a
/// resume's or a recovery's), when sampled; the room's pairing span links to it.
/// </summary>
public sealed record JoinRoom(PairCode Code, SessionId Session, long Attempt = 0, bool Resumable = false,
    SessionId? Partner = null, SessionId? Replaces = null, TraceContext? Trace = null) : IWithPairCode;

/// <summary>Session → room: take me out of this room (idempotent).</summary>
public sealed record LeaveRoom(PairCode Code, SessionId Session) : IWithPairCode;

/// <summary>Session → room: my client's socket dropped; I keep my seat through the grace period unless someone else claims it.</summary>
public sealed record MemberAway(PairCode Code, SessionId Session) : IWithPairCode;

/// <summary>Session → room: my client resumed; my seat is mine again.</summary>
public sealed record MemberBack(PairCode Code, SessionId Session) : IWithPairCode;

/// <summary>
/// Session → room, the answer to <see cref="CheckSeat"/>: my client is attached and I am in this room.
/// </summary>
public sealed record SeatHeld(PairCode Code, SessionId Session) : IWithPairCode;

/// <summary>
/// Session → room, the answer to <see cref="CheckSeat"/>: I hold no seat here (my client is away, I am
/// in another room, or I am a fresh incarnation after my node was lost). The room actor also says it
/// for a holder whose node is unreachable, or that did not answer in time (docs/failover.md, "Dead seats").
/// </summary>
public sealed record SeatVacant(PairCode Code, SessionId Session) : IWithPairCode;
