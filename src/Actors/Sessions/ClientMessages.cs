namespace SocketPeer.Actors.Sessions;

/// <summary>
/// What a session tells its connection; the gateway encodes each as one wire message.
/// Wire names are in docs/protocol.md.
/// </summary>
public interface IClientMessage : ISocketPeerMessage;

/// <summary><c>session {id}</c>: the first message on every connection.</summary>
public sealed record SessionStarted(SessionId Id) : IClientMessage;

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

/// <summary><c>data</c>, <c>rtc.signal</c> or <c>rtc.connect</c> from the partner, payload as raw UTF-8 JSON.</summary>
public sealed record RelayedNotice(RelayKind Kind, byte[] Payload) : IClientMessage;

/// <summary><c>server.error {code, message}</c>: a request was refused; see <see cref="ServerErrorCodes"/>.</summary>
public sealed record ServerErrorNotice(string Code, string Message) : IClientMessage;
