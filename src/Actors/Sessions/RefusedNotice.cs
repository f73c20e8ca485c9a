using SocketPeer.Actors.Rooms;

namespace SocketPeer.Actors.Sessions;

/// <summary>
/// Why a session refused what its client asked. The session decides; the gateway words it
/// (<c>server.error</c>'s code and message), so wire wording stays at the protocol edge.
/// </summary>
public enum Refusal : byte
{
    /// <summary><c>leave</c> while the session is in no room.</summary>
    NotInRoom = 1,
    /// <summary>A relayed message while the session has no partner.</summary>
    NotPaired = 2,
    /// <summary>A resume the partner refused: the pairing ended while this client was away.</summary>
    PairingEnded = 3,
    /// <summary>A rebuilt pairing the partner never confirmed within the grace period.</summary>
    PartnerDidNotReturn = 4,
    /// <summary>Waited the peer timeout with no partner; the session left the room.</summary>
    PeerTimeout = 5,
}

/// <summary>
/// A request was refused, and why. Carries only what the wording needs, typed: the session may
/// live on another node than its connection, so this crosses nodes as a byte and a code, not text.
/// </summary>
/// <param name="Relay">for <see cref="Refusal.NotPaired"/>: which relayed message was refused.</param>
/// <param name="Code">for <see cref="Refusal.PeerTimeout"/>: the pair code nobody else joined.</param>
public sealed record RefusedNotice(Refusal Refusal, RelayKind? Relay = null, PairCode? Code = null) : IClientMessage;
