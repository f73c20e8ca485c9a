namespace SocketPeer.Actors.Sessions;

/// <summary>
/// What a session tells its connection; the gateway encodes each as one wire message.
/// Wire names are in docs/protocol.md.
/// </summary>
public interface IClientMessage : ISocketPeerMessage;

/// <summary>
/// <c>session {id, token, resumeGrace}</c>: the first message on every connection, and again for
/// a resumed session. The session fills in <see cref="Token"/> (what the token vouches for; the
/// gateway signs it), its actor <see cref="ResumeGraceSeconds"/>.
/// </summary>
public sealed record SessionStarted(SessionId Id, ResumeClaims? Token = null, int ResumeGraceSeconds = 0) : IClientMessage;

/// <summary><c>session.token {token}</c>: a fresh resume token, vouching for <see cref="Claims"/> (the gateway signs it).</summary>
public sealed record TokenNotice(ResumeClaims Claims) : IClientMessage;

/// <summary><c>resumed {seq, state}</c>: the session was taken back; re-send your messages after <see cref="Seq"/>.</summary>
public sealed record ResumedNotice(long Seq, ResumeState State) : IClientMessage;

/// <summary><c>ack {seq}</c>: the partner's client has everything you sent up to <see cref="Seq"/>.</summary>
public sealed record AckNotice(long Seq) : IClientMessage;

/// <summary><c>peer.found {initiator}</c>.</summary>
public sealed record PeerFoundNotice(bool Initiator) : IClientMessage;

/// <summary><c>busy</c>: the pair code is taken by two peers.</summary>
public sealed record BusyNotice : IClientMessage
{
    public static readonly BusyNotice Instance = new();
    private BusyNotice() { }
}

/// <summary><c>peer.left</c>: the partner left or was lost; waiting again.</summary>
public sealed record PeerLeftNotice : IClientMessage
{
    public static readonly PeerLeftNotice Instance = new();
    private PeerLeftNotice() { }
}

/// <summary>
/// <c>data</c>, <c>rtc.signal</c> or <c>rtc.connect</c> from the partner, payload as raw UTF-8 JSON;
/// <see cref="Seq"/> is written only to a client that opted into resume (0: none).
/// </summary>
public sealed record RelayedNotice(RelayKind Kind, byte[] Payload, long Seq = 0) : IClientMessage;
