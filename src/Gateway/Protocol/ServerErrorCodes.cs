namespace SocketPeer.Gateway.Protocol;

/// <summary>
/// The stable <c>code</c> strings of <c>server.error</c>. Clients branch on them, so they never
/// change meaning; each is documented in docs/protocol.md.
/// </summary>
public static class ServerErrorCodes
{
    /// <summary>Not JSON, not an object, <c>type</c> missing or not a string, or a field of the wrong shape.</summary>
    public const string BadMessage = "bad-message";
    /// <summary>A <c>type</c> this server does not know.</summary>
    public const string UnknownType = "unknown-type";
    /// <summary>A binary frame: the protocol is text frames only.</summary>
    public const string BinaryNotSupported = "binary-not-supported";
    /// <summary><c>pair</c> with a code that is null, empty, too long or has characters outside the rules.</summary>
    public const string InvalidPairCode = "invalid-pair-code";
    /// <summary><c>data</c>, <c>rtc.signal</c> or <c>rtc.connect</c> while the session has no partner.</summary>
    public const string NotPaired = "not-paired";
    /// <summary><c>leave</c> while the session is in no room.</summary>
    public const string NotInRoom = "not-in-room";
    /// <summary>Over the per-connection message rate; the message was dropped.</summary>
    public const string RateLimited = "rate-limited";
    /// <summary>A <c>pair</c> over the client address's pair attempts (<c>PairsPerMinute</c>) or busy answers (<c>BusyPerMinute</c>); it was not sent on.</summary>
    public const string PairLimited = "pair-limited";
    /// <summary>The server requires join tokens and this <c>pair</c> carried none; it was not seated.</summary>
    public const string JoinTokenRequired = "join-token-required";
    /// <summary>A join token that is malformed, forged, signed with an unknown key or algorithm, of another issuer or audience, or valid for too long.</summary>
    public const string JoinTokenInvalid = "join-token-invalid";
    /// <summary>A join token past its <c>exp</c> (or before its <c>nbf</c>): fetch a fresh one.</summary>
    public const string JoinTokenExpired = "join-token-expired";
    /// <summary>A valid join token for another pair code (neither its <c>pair_code</c> nor its <c>pair_code_prefix</c> admits this one).</summary>
    public const string JoinTokenCode = "join-token-code";
    /// <summary>Waited <c>PeerTimeout</c> with no partner; the session left the room (the socket stays).</summary>
    public const string PeerTimeout = "peer-timeout";
    /// <summary>A <c>resume</c> that cannot be honoured: bad or expired token, or the session or its pairing ended.</summary>
    public const string ResumeFailed = "resume-failed";
    /// <summary>
    /// A <c>resume</c> with a token older than the one before the session's latest: the session lives
    /// and keeps its socket; this socket goes on with its own new session.
    /// </summary>
    public const string ResumeSuperseded = "resume-superseded";
    /// <summary>The server could not take the message (for example the cluster is not ready).</summary>
    public const string InternalError = "internal-error";
}
