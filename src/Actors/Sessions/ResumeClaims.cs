using SocketPeer.Actors.Rooms;

namespace SocketPeer.Actors.Sessions;

/// <summary>Which pairing state a resume token was issued in, or a resumed session is back in.</summary>
public enum ResumeState : byte
{
    Idle = 1,
    Waiting = 2,
    Paired = 3,
}

/// <summary>
/// What a resume token vouches for: enough to rebuild the session when its entity was lost with its
/// node (docs/architecture.md section 5). The partner still has to confirm a pairing before it counts.
/// The session issues claims; the gateway signs them into the token its client holds, and hands the
/// session the claims of a token it verified (the wire format is the gateway's, docs/protocol.md).
/// </summary>
/// <param name="Generation">
/// Which of the session's tokens this is (1, 2, 3 …): only the latest and the one before it take a
/// live session back (<see cref="SessionState.Refuses"/>).
/// </param>
public sealed record ResumeClaims(SessionId Session, ResumeState State, PairCode? Code, SessionId? Partner,
    bool PartnerResumable, long Generation);

/// <summary>Why a session did not take a socket's resume; the gateway words it as a <c>server.error</c>.</summary>
public enum ResumeRefusal : byte
{
    /// <summary>The token is older than the one before the session's latest: a newer one was issued since.</summary>
    Superseded = 1,

    /// <summary>The session ended (left, closed, timed out): a token never brings it back.</summary>
    Ended = 2,
}
