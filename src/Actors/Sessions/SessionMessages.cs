using Akka.Actor;
using SocketPeer.Actors.Diagnostics;
using SocketPeer.Actors.Rooms;

namespace SocketPeer.Actors.Sessions;

/// <summary>A message addressed to one peer session (the shard key).</summary>
public interface IWithSessionId : ISocketPeerMessage, ISessionInput
{
    SessionId Session { get; }
}

/// <summary>What a relayed message is on the wire.</summary>
public enum RelayKind : byte
{
    Data = 1,
    Signal = 2,
    Connect = 3,
}

/// <summary>Which path a client reports as live (<c>rtc.status</c>).</summary>
public enum RtcPath : byte
{
    Upgraded = 1,
    Downgraded = 2,
}

// ---- connection → session. Each is acknowledged with SessionAck (the connection's inbound window).

/// <summary>The first message of a connection: where to send what its client must hear.</summary>
public sealed record AttachConnection(SessionId Session, IActorRef Connection) : IWithSessionId;

/// <summary>
/// The client sent <c>pair</c> with a code the gateway already validated. <see cref="Trace"/>: the
/// gateway's <c>socketpeer.pair</c> span, when sampled (docs/operations.md, "Tracing").
/// </summary>
public sealed record ClientPair(SessionId Session, PairCode Code, TraceContext? Trace = null) : IWithSessionId;

/// <summary>The client sent <c>leave</c>.</summary>
public sealed record ClientLeave(SessionId Session) : IWithSessionId;

/// <summary>
/// The client sent <c>data</c>, <c>rtc.signal</c> or <c>rtc.connect</c>. <see cref="Payload"/> is the
/// raw UTF-8 JSON of its <c>data</c> field (validated by the gateway, empty when absent): it is
/// relayed as it is, never re-serialised.
/// </summary>
/// <see cref="Seq"/> is the client's own number for it (0: none given; the session numbers it).
public sealed record ClientRelay(SessionId Session, RelayKind Kind, byte[] Payload, long Seq = 0) : IWithSessionId;

/// <summary>The client sent <c>session {"resume": true}</c>: keep this session through a reconnect.</summary>
public sealed record ClientOptIn(SessionId Session) : IWithSessionId;

/// <summary>The client sent <c>ack {seq}</c>: it has everything its partner sent up to <see cref="Seq"/>.</summary>
public sealed record ClientAck(SessionId Session, long Seq) : IWithSessionId;

/// <summary>
/// A new connection takes this session back (the client sent <c>resume</c> with a valid token).
/// <see cref="Claims"/> rebuild the session when its entity was lost; <see cref="Received"/> is the
/// highest sequence number the client has from its partner. Sent to a session other than the one the
/// claims name (the socket's own fresh session), it makes that session the claimed one's successor:
/// the gateway does so when the claimed session's node is unreachable (crashed), since that session
/// cannot answer until the node is removed (docs/failover.md, "Successor sessions").
/// <see cref="AnswerBy"/> (UTC): a session that gets this later ignores it. The gateway succeeds a
/// session that has not answered by then, so a resume delivered late (held up by a node that died
/// with it, say) must not take the socket back from the successor.
/// <see cref="Trace"/>: the gateway's <c>socketpeer.resume</c> or <c>socketpeer.succession</c> span, when sampled.
/// </summary>
public sealed record ResumeConnection(SessionId Session, IActorRef Connection, ResumeClaims Claims, long Received,
    DateTimeOffset? AnswerBy = null, TraceContext? Trace = null) : IWithSessionId;

/// <summary>
/// This connection's first session: the socket now serves <see cref="To"/> (it resumed it). When
/// the socket ends, pass its <see cref="ConnectionClosed"/> on to <see cref="To"/>, then stop.
/// <see cref="To"/> the session itself: the resumed session refused the socket, which this one serves again.
/// </summary>
public sealed record HandOver(SessionId Session, SessionId To) : IWithSessionId;

/// <summary>The client sent <c>rtc.status</c>.</summary>
public sealed record ClientRtcStatus(SessionId Session, RtcPath Path) : IWithSessionId;

/// <summary>
/// The client's socket is gone (close frame, reset or server-side close). <see cref="Connection"/>
/// says which one, so the end of a socket the session has since been resumed away from is ignored.
/// </summary>
public sealed record ConnectionClosed(SessionId Session, IActorRef? Connection = null) : IWithSessionId;

/// <summary>The session took a connection message; the connection may send the next one.</summary>
public sealed record SessionAck : ISocketPeerMessage
{
    public static readonly SessionAck Instance = new();
    private SessionAck() { }
}

// ---- room → session. Attempt echoes the JoinRoom.Attempt of the member addressed.

/// <summary>You are alone in the room of this code.</summary>
public sealed record WaitingForPeer(SessionId Session, PairCode Code, long Attempt = 0) : IWithSessionId;

/// <summary>
/// You are paired with <see cref="Partner"/>; the newcomer is the initiator. <see cref="PartnerAttempt"/>
/// is the partner's join attempt that the room paired (0 from a node that does not say): with the
/// member's own attempt it names this pairing, so a relay of an earlier pairing of the same two
/// sessions is told apart (<see cref="PartnerRelay.ToAttempt"/>). <see cref="Trace"/>: the room's
/// <c>socketpeer.room.pair</c> span (the root of the pairing's trace), when sampled.
/// <see cref="PartnerRef"/>: the partner's entity as the room knows it (the sender of what the partner
/// last told the room about its seat; null from a node that does not say), so the session can tell
/// its partner directly from the pairing on, not only once the partner's hello arrives (see
/// <see cref="PartnerRoute"/>).
/// </summary>
public sealed record PeerFound(SessionId Session, PairCode Code, SessionId Partner, bool Initiator, long Attempt = 0,
    bool PartnerResumable = false, long PartnerAttempt = 0, TraceContext? Trace = null, IActorRef? PartnerRef = null)
    : IWithSessionId;

/// <summary>The room of this code already holds two peers.</summary>
public sealed record RoomBusy(SessionId Session, PairCode Code, long Attempt = 0) : IWithSessionId;

/// <summary>Your partner left the room; you are waiting again.</summary>
public sealed record PartnerLeft(SessionId Session, PairCode Code, SessionId Partner, long Attempt = 0) : IWithSessionId;

/// <summary>
/// A newcomer took your seat: your client was away, or you did not vouch for the seat in time (see
/// <see cref="CheckSeat"/>). Away, this session is over; attached, its client hears <c>peer.left</c>
/// and <c>busy</c>.
/// </summary>
public sealed record SeatTaken(SessionId Session, PairCode Code) : IWithSessionId;

/// <summary>
/// A newcomer asked to join this full room: say whether you still hold your seat
/// (<see cref="SeatHeld"/> or <see cref="SeatVacant"/>). A seat nobody vouches for is given to the
/// newcomer instead of answering it <c>busy</c>: it is in all likelihood your own client reconnecting
/// after your node died.
/// </summary>
public sealed record CheckSeat(SessionId Session, PairCode Code) : IWithSessionId;

// ---- session → partner session (the hot path: never through the room).

/// <summary>
/// A relayed message from <see cref="From"/>, delivered only if it is the receiver's partner.
/// <see cref="Seq"/> numbers the sender's messages of this pairing (1, 2, 3 …). <see cref="FromAttempt"/>
/// and <see cref="ToAttempt"/> name the pairing as the room made it (the sender's and the receiver's
/// join attempts; both 0 when the sender does not know them, after a resume, or from a node that does
/// not say): the receiver drops a relay of another pairing of the same two sessions, whose numbers
/// would otherwise count in this one's.
/// </summary>
public sealed record PartnerRelay(SessionId Session, SessionId From, PairCode Code, RelayKind Kind, byte[] Payload,
    long Seq = 0, long FromAttempt = 0, long ToAttempt = 0) : IWithSessionId;

/// <summary>Sent to the partner on pairing, so it can watch this session (and notice its node die).</summary>
/// With <see cref="AskBack"/> (a hello sent again: this session still watches no partner, because
/// the partner's own hello came before the pairing did, or was lost with a node), the partner
/// answers with a hello of its own. A fresh, unattached incarnation answers <see cref="PartnerGone"/>.
public sealed record PartnerHello(SessionId Session, SessionId From, PairCode Code, bool AskBack = false) : IWithSessionId;

/// <summary>The partner's client has everything up to <see cref="Seq"/>: forget it.</summary>
public sealed record PartnerAck(SessionId Session, SessionId From, long Seq) : IWithSessionId;

/// <summary>
/// <see cref="From"/> was taken back by its client, whose copy of your messages ends at
/// <see cref="Received"/>: send it what came after, and answer with <see cref="PartnerResumeAnswer"/>.
/// With <see cref="Replaces"/>, <see cref="From"/> is the successor of your partner
/// <see cref="Replaces"/> (whose node is unreachable): your partner is <see cref="From"/> from now on.
/// <see cref="Trace"/>: the resuming session's <c>socketpeer.session.resume</c> span, when sampled.
/// </summary>
public sealed record PartnerResumed(SessionId Session, SessionId From, PairCode Code, long Received,
    SessionId? Replaces = null, TraceContext? Trace = null) : IWithSessionId;

/// <summary>How a session answered a partner's <see cref="PartnerResumed"/>.</summary>
public enum ResumeVerdict : byte
{
    /// <summary>
    /// Still paired with you; <c>Received</c> is the highest of your messages my client has (what it
    /// acknowledged, if it acknowledges; else what I delivered).
    /// </summary>
    Accepted = 1,
    /// <summary>Not paired with you any more.</summary>
    Refused = 2,
    /// <summary>This session was lost too (its entity is new); its client may still resume.</summary>
    Unknown = 3,
}

/// <summary>The answer to <see cref="PartnerResumed"/>.</summary>
public sealed record PartnerResumeAnswer(SessionId Session, SessionId From, ResumeVerdict Verdict, long Received)
    : IWithSessionId;

/// <summary>
/// The answer of a fresh, unattached incarnation of <see cref="From"/> to a hello or a relay: the
/// session you are paired with is gone (it ended, or was lost with its node), and this one knows
/// nothing of you. You treat it as a lost partner: wait its grace period if it resumes, give up on
/// it at once if it does not. Without it, a session whose pairing with an ended session was made by a
/// room that then died would relay into the void for good (found by the crash property tests).
/// </summary>
public sealed record PartnerGone(SessionId Session, SessionId From) : IWithSessionId;

/// <summary>
/// More of your partner's messages waited for your absent client than the resume buffer holds: your
/// session ends (the partner has been told <c>peer.left</c>).
/// </summary>
public sealed record PartnerGaveUp(SessionId Session, SessionId From) : IWithSessionId;
