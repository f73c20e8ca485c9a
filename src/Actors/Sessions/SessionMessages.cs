using Akka.Actor;
using SocketPeer.Actors.Rooms;

namespace SocketPeer.Actors.Sessions;

/// <summary>A message addressed to one peer session (the shard key).</summary>
public interface IWithSessionId : ISocketPeerMessage
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

// ---- connection → session. Each is acknowledged with SessionAck (stream backpressure).

/// <summary>The first message of a connection: where to send what its client must hear.</summary>
public sealed record AttachConnection(SessionId Session, IActorRef Connection) : IWithSessionId;

/// <summary>The client sent <c>pair</c> with a code the gateway already validated.</summary>
public sealed record ClientPair(SessionId Session, PairCode Code) : IWithSessionId;

/// <summary>The client sent <c>leave</c>.</summary>
public sealed record ClientLeave(SessionId Session) : IWithSessionId;

/// <summary>
/// The client sent <c>data</c>, <c>rtc.signal</c> or <c>rtc.connect</c>. <see cref="Payload"/> is the
/// raw UTF-8 JSON of its <c>data</c> field (validated by the gateway, empty when absent): it is
/// relayed as it is, never re-serialised.
/// </summary>
public sealed record ClientRelay(SessionId Session, RelayKind Kind, byte[] Payload) : IWithSessionId;

/// <summary>The client sent <c>rtc.status</c>.</summary>
public sealed record ClientRtcStatus(SessionId Session, RtcPath Path) : IWithSessionId;

/// <summary>The client's socket is gone (close frame, reset or server-side close).</summary>
public sealed record ConnectionClosed(SessionId Session) : IWithSessionId;

/// <summary>The session took a connection message; the connection may send the next one.</summary>
public sealed record SessionAck : ISocketPeerMessage
{
    public static readonly SessionAck Instance = new();
    private SessionAck() { }
}

// ---- room → session. Attempt echoes the JoinRoom.Attempt of the member addressed.

/// <summary>You are alone in the room of this code.</summary>
public sealed record WaitingForPeer(SessionId Session, PairCode Code, long Attempt = 0) : IWithSessionId;

/// <summary>You are paired with <see cref="Partner"/>; the newcomer is the initiator.</summary>
public sealed record PeerFound(SessionId Session, PairCode Code, SessionId Partner, bool Initiator, long Attempt = 0)
    : IWithSessionId;

/// <summary>The room of this code already holds two peers.</summary>
public sealed record RoomBusy(SessionId Session, PairCode Code, long Attempt = 0) : IWithSessionId;

/// <summary>Your partner left the room; you are waiting again.</summary>
public sealed record PartnerLeft(SessionId Session, PairCode Code, SessionId Partner, long Attempt = 0) : IWithSessionId;

// ---- session → partner session (the hot path: never through the room).

/// <summary>A relayed message from <see cref="From"/>, delivered only if it is the receiver's partner.</summary>
public sealed record PartnerRelay(SessionId Session, SessionId From, PairCode Code, RelayKind Kind, byte[] Payload)
    : IWithSessionId;
