using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Sessions;

namespace SocketPeer.Actors.Events;

/// <summary>What happened to a pairing, for the application's backend (docs/webhooks.md).</summary>
public enum RoomEventKind : byte
{
    /// <summary>Two sessions paired (announced by the initiator's session).</summary>
    PairFormed = 1,

    /// <summary>A pairing ended (announced by each side that sees it end, under one id).</summary>
    PairEnded = 2,

    /// <summary>A paired client took its session back after its socket dropped (or its session was rebuilt).</summary>
    PairResumed = 3,

    /// <summary>The partner's node was lost with its session (the partner resumes: its client may still take it back).</summary>
    PartnerLost = 4,
}

/// <summary>Why a pairing ended, as the session that announces it saw it.</summary>
public enum PairEndReason : byte
{
    /// <summary>This session's client left (<c>leave</c>, or <c>pair</c> again).</summary>
    Left = 1,

    /// <summary>This session's socket closed and its client does not resume.</summary>
    Closed = 2,

    /// <summary>The partner left, or gave up on this session, or its session ended before the room said so.</summary>
    PartnerLeft = 3,

    /// <summary>This session's client did not come back within the grace period.</summary>
    ClientDidNotReturn = 4,

    /// <summary>The partner's client did not come back (or confirm a rebuilt pairing) within the grace period.</summary>
    PartnerDidNotReturn = 5,

    /// <summary>The partner's session was lost with its node (or gone when asked), and it does not resume.</summary>
    PartnerLost = 6,

    /// <summary>A newcomer took this session's seat (its client was away, or its node lost).</summary>
    SeatTaken = 7,

    /// <summary>The room paired this session with someone else (the partner's departure was missed).</summary>
    Replaced = 8,

    /// <summary>A lost room was rebuilt by two others first.</summary>
    RoomTaken = 9,

    /// <summary>The partner refused to confirm a resumed pairing (it had ended it).</summary>
    ResumeRefused = 10,

    /// <summary>Anything else.</summary>
    Other = 11,
}

/// <summary>
/// One event of a pairing. <see cref="Id"/> is deterministic (<see cref="RoomEventIds"/>): announced
/// again (both sides announce an end; a rebuilt room may pair the same two again), it has the same id.
/// <see cref="At"/> and <see cref="Duration"/> are stamped by the session actor; the state machine
/// that decides an event leaves them unset.
/// </summary>
/// <param name="Session">The session that announces it.</param>
/// <param name="Partner">Its partner in the pairing (for <see cref="RoomEventKind.PartnerLost"/>, the lost one).</param>
public sealed record RoomEvent(RoomEventKind Kind, string Id, PairingId Pairing, PairCode Code, SessionId Session, SessionId Partner)
{
    public DateTimeOffset At { get; init; }

    /// <summary>Ended: why, as <see cref="Session"/> saw it.</summary>
    public PairEndReason? Reason { get; init; }

    /// <summary>
    /// Ended: how long since the pair formed, as the announcing session's actor timed it; null when it
    /// does not know (its session was rebuilt from a token after its node crashed, or succeeded one).
    /// </summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Resumed: the session was rebuilt from its token (its node was lost), not taken back alive.</summary>
    public bool Rebuilt { get; init; }
}

/// <summary>How room events are named, so that an event announced twice has one id.</summary>
public static class RoomEventIds
{
    public static string Formed(PairingId pairing) => $"pair.formed:{pairing}";

    public static string Ended(PairingId pairing) => $"pair.ended:{pairing}";

    /// <summary>One per resume: a session's token generation moves on with every resume it takes.</summary>
    public static string Resumed(PairingId pairing, SessionId session, long generation) => $"pair.resumed:{pairing}:{session}:{generation}";

    /// <summary>
    /// One per loss of <paramref name="lost"/> as <paramref name="observer"/> saw it, told apart by
    /// how many of the partner's messages the observer had delivered by then.
    /// </summary>
    public static string PartnerLost(PairingId pairing, SessionId lost, SessionId observer, long delivered) =>
        $"pair.partner-lost:{pairing}:{lost}:{observer}:{delivered}";
}
