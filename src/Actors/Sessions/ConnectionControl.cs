namespace SocketPeer.Actors.Sessions;

/// <summary>
/// What a session tells its connection about the socket itself rather than for the client: never
/// written to the socket, so kept apart from <see cref="IClientMessage"/>.
/// </summary>
public interface IConnectionControl : ISocketPeerMessage;

/// <summary>The session was resumed on another socket, so close this one (4001).</summary>
public sealed record SessionMovedNotice : IConnectionControl
{
    public static readonly SessionMovedNotice Instance = new();
    private SessionMovedNotice() { }
}

/// <summary>
/// The entity now serving this socket as session <see cref="Id"/>. The connection tells it the
/// client's messages directly (once none is in flight through the shard region). On another node,
/// the connection also watches it and, if it is lost while the socket lives, closes with 1012 so
/// the client resumes (its session is then rebuilt from its token on a live node).
/// </summary>
public sealed record SessionLocation(Akka.Actor.IActorRef Session, SessionId? Id = null) : IConnectionControl;

/// <summary>
/// <see cref="Session"/> did not take this socket's resume because its node is shutting down (it
/// would be handed off in a moment, and the socket closed with 1012 a second time). The connection
/// lets its own session succeed it instead (docs/failover.md).
/// </summary>
public sealed record SessionLeavingNotice(SessionId Session) : IConnectionControl;

/// <summary>
/// <see cref="Session"/> did not take this socket's resume, for <see cref="Why"/>; its live owner, if
/// any, keeps its socket. The socket goes on with its own session, and its client hears why.
/// </summary>
public sealed record ResumeRefusedNotice(SessionId Session, ResumeRefusal Why) : IConnectionControl;
