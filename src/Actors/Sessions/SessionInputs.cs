using SocketPeer.Actors.Rooms;

namespace SocketPeer.Actors.Sessions;

/// <summary>
/// What a <see cref="SessionState"/> takes in its one <c>Handle</c>: a message from the client, a room
/// or another session (every <see cref="IWithSessionId"/>), or one of the actor's own inputs below
/// (a watch that fired, a timer that ran out, the end of the entity). None of the latter crosses nodes.
/// </summary>
public interface ISessionInput;

/// <summary>The room this session's actor watches (the last one that answered it) stopped.</summary>
/// <param name="OnStoppingNode">this session's node has begun a graceful stop (<c>NodeStopping</c>).</param>
public sealed record RoomLost(PairCode Code, bool OnStoppingNode = false) : ISessionInput;

/// <summary>The actor watches the partner's entity now (it said hello, or answered a resume).</summary>
public sealed record PartnerWatched(SessionId Partner) : ISessionInput;

/// <summary>The partner entity the actor watched stopped (its node died, or it ended before the room told us).</summary>
public sealed record PartnerLost : ISessionInput
{
    public static readonly PartnerLost Instance = new();

    /// <summary>Its node was lost (the watch fired for the node's address): for the backend's events, not for the session.</summary>
    public static readonly PartnerLost OnLostNode = new() { NodeLost = true };

    private PartnerLost() { }

    public bool NodeLost { get; private init; }
}

/// <summary>No connection attached to this entity (made by a stray message) within its lifetime.</summary>
public sealed record NoConnectionCame : ISessionInput
{
    public static readonly NoConnectionCame Instance = new();
    private NoConnectionCame() { }
}

/// <summary>The entity stopped (ended, passivated, handed off, or its node shut down): nothing counts it any more.</summary>
public sealed record EntityStopped : ISessionInput
{
    public static readonly EntityStopped Instance = new();
    private EntityStopped() { }
}

/// <summary>The peer timeout ran out while waiting alone in the room of <see cref="Code"/>.</summary>
public sealed record PeerTimeoutElapsed(PairCode Code) : ISessionInput;

/// <summary>The grace period of this session's absent client ran out.</summary>
public sealed record GraceElapsed : ISessionInput
{
    public static readonly GraceElapsed Instance = new();
    private GraceElapsed() { }
}

/// <summary>The grace period of the lost partner <see cref="Partner"/> ran out.</summary>
public sealed record PartnerGraceElapsed(SessionId Partner) : ISessionInput;

/// <summary>A pairing rebuilt from a token was not confirmed by the partner within the grace period.</summary>
public sealed record ConfirmElapsed : ISessionInput
{
    public static readonly ConfirmElapsed Instance = new();
    private ConfirmElapsed() { }
}

/// <summary>The partner did not answer a request to replay within the grace period.</summary>
public sealed record ReplayElapsed : ISessionInput
{
    public static readonly ReplayElapsed Instance = new();
    private ReplayElapsed() { }
}

/// <summary>Time to ask the room again: a join (or re-join) is still unanswered.</summary>
public sealed record JoinRetryElapsed : ISessionInput
{
    public static readonly JoinRetryElapsed Instance = new();
    private JoinRetryElapsed() { }
}

/// <summary>Time to say hello again: paired, and the actor still watches no partner.</summary>
public sealed record HelloAgainElapsed : ISessionInput
{
    public static readonly HelloAgainElapsed Instance = new();
    private HelloAgainElapsed() { }
}

/// <summary>Half a token's lifetime passed: the client gets a fresh one.</summary>
public sealed record TokenRefreshElapsed : ISessionInput
{
    public static readonly TokenRefreshElapsed Instance = new();
    private TokenRefreshElapsed() { }
}
