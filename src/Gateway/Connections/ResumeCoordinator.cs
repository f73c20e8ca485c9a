using System.Diagnostics;
using Akka.Actor;
using SocketPeer.Actors.Diagnostics;
using SocketPeer.Actors.Placement;
using SocketPeer.Actors.Sessions;
using SocketPeer.Gateway.Protocol;
using static SocketPeer.Gateway.Protocol.ServerErrorCodes;

namespace SocketPeer.Gateway.Connections;

/// <summary>
/// The gateway's part of resume and succession (docs/failover.md): whether a socket's <c>resume</c>
/// asks the session to take the socket back or lets the socket's own session succeed it at once;
/// when an unanswered resume gives way to a successor; and when a socket whose session was lost with
/// its node asks its client to resume. One per node; what it changes per socket is that socket's
/// <see cref="ConnectionSession"/>.
/// </summary>
public sealed class ResumeCoordinator(
    ActorSystem system,
    ResumeTokens tokens,
    TimeProvider time,
    ILogger<ResumeCoordinator> logger)
{
    private readonly ResumeAnswerWait _wait = new(time);

    /// <summary>
    /// A socket's first message asks to resume: check the token, then either ask the session to take
    /// this socket back (it answers with a <c>session</c> message) or, when it cannot answer soon,
    /// let this socket's own session succeed it. Returns what the inbound loop does with the frame.
    /// </summary>
    public InboundDecision TakeBack(InboundDecision.Resume resume, ConnectionSession connection, ConnectionOutbox outbox,
        CancellationToken over)
    {
        if (tokens.Read(resume.Token, out var problem) is not { } claims)
            return InboundDecision.Error(ResumeFailed, $"resume: {problem}; this socket goes on with a new session");
        if (SessionNodeStatus.IsUnreachable(system, claims.Session) && CanBeSucceeded(claims))
        {
            // Its node crashed and is not removed yet: its shard cannot move, so the session could
            // answer only after the removal (seconds). This socket's own session succeeds it now.
            logger.LogInformation("Session {Resumed} lives on an unreachable node; this connection's session succeeds it", claims.Session);
            using var succession = StartSuccession(connection, claims, "unreachable");
            return new InboundDecision.Forward(new ResumeConnection(connection.Own, outbox, claims, resume.Seq,
                Trace: TraceContext.Of(succession)));
        }

        // A trace of its own, linked to the socket's, carried to the session.
        using var span = SocketPeerTracing.StartRoot(SocketPeerTracing.Resume, ActivityKind.Server, system, SocketLink(connection))
            ?.SetTag(SocketPeerTracing.SessionTag, connection.Own.Value)
            .SetTag(SocketPeerTracing.ResumedTag, claims.Session.Value);
        var trace = TraceContext.Of(span);

        // The session answers with a `session` message, unless its node died just now, when nothing
        // answers: then this socket's session succeeds it (a client must never wait on a resume).
        var answerBy = _wait.NextDeadline();
        _ = SucceedIfUnansweredAsync(claims, resume.Seq, connection, outbox, answerBy, trace, over);

        var region = connection.Region;
        region.Tell(new HandOver(connection.Own, claims.Session), ActorRefs.NoSender);
        connection.Serve(claims.Session);
        logger.LogDebug("Connection resumes session {Resumed}", claims.Session);
        // Told directly, outside the inbound window: a session that never answers would hold a place
        // in the window for good, and with it, in the end, every later frame, also those for a
        // successor. The client sends nothing more until the answer, so nothing can overtake this.
        region.Tell(new ResumeConnection(claims.Session, outbox, claims, resume.Seq, answerBy, trace), ActorRefs.NoSender);
        return InboundDecision.Ignore.Instance;
    }

    /// <summary>
    /// <paramref name="refused"/>'s session did not take this socket back (a superseded token, or a
    /// session that ended): the socket goes on with its own session, which serves it again, and the
    /// wait for an answer ends. Returns what the client hears, or null when the socket no longer
    /// serves that session (its own session succeeded it meanwhile): then the refusal is moot.
    /// </summary>
    public ServerErrorNotice? Refused(ResumeRefusedNotice refused, ConnectionSession connection)
    {
        connection.Answered(refused.Session);
        if (connection.Serving != refused.Session) return null;
        connection.Serve(connection.Own);
        connection.Region.Tell(new HandOver(connection.Own, connection.Own), ActorRefs.NoSender);
        logger.LogInformation("Session {Resumed} refused this connection's resume: {Why}", refused.Session, refused.Why);
        return ServerErrors.For(refused);
    }

    /// <summary>
    /// The entity serving a socket said where it is. On another node, it is watched: if it is lost
    /// with its node while the socket lives, the socket closes with 1012, and the client's resume
    /// rebuilds the session from its token on a live node (docs/failover.md).
    /// </summary>
    public void WatchIfRemote(SessionLocation location, IActorRef outbox, CancellationToken over)
    {
        if (location.Session is not IInternalActorRef { IsLocal: true })
            _ = ReconnectIfLostAsync(location.Session, outbox, over);
    }

    private async Task ReconnectIfLostAsync(IActorRef session, IActorRef outbox, CancellationToken over)
    {
        try
        {
            if (await session.WatchAsync(over))
            {
                logger.LogInformation("The session of this connection was lost with its node; asking the client to resume");
                outbox.Tell(new CloseRequest(CloseCodes.ServiceRestart, "session lost; resume"));
            }
        }
        catch (OperationCanceledException)
        {
            // The connection ended first.
        }
    }

    /// <summary>Until the resumed session answers (see <see cref="ResumeAnswerWait"/>); then, if need be, succeeds it.</summary>
    private async Task SucceedIfUnansweredAsync(ResumeClaims claims, long seq, ConnectionSession connection,
        ConnectionOutbox outbox, DateTimeOffset answerBy, TraceContext? resumeTrace, CancellationToken over)
    {
        try
        {
            var why = await _wait.UntilSuccessionAsync(connection.Announced(claims.Session), connection.Leaving(claims.Session),
                answerBy,
                () => SessionNodeStatus.IsUnreachable(system, claims.Session),
                () => CanBeSucceeded(claims),
                deadline => connection.Region.Tell(new ResumeConnection(claims.Session, outbox, claims, seq, deadline, resumeTrace), ActorRefs.NoSender),
                over,
                () => SessionNodeStatus.IsRemoved(system, claims.Session));
            if (why is null) return;
            logger.LogInformation("Session {Resumed} did not take the resume ({Why}); this connection's session succeeds it",
                claims.Session, why);
            connection.Serve(connection.Own);
            using var succession = StartSuccession(connection, claims, why, resumeTrace);
            connection.Region.Tell(new ResumeConnection(connection.Own, outbox, claims, seq, Trace: TraceContext.Of(succession)),
                ActorRefs.NoSender);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Waiting for the answer to a resume failed");
        }
    }

    /// <summary>A link to the socket's own span, when it was sampled; only asked for when something listens.</summary>
    private static ActivityLink[]? SocketLink(ConnectionSession connection) =>
        connection.Trace is { } socket ? [new ActivityLink(socket.Span)] : null;

    /// <summary>
    /// A succession's own trace, linked to the socket's span and to the resume it follows, if any.
    /// Null when nothing listens.
    /// </summary>
    private Activity? StartSuccession(ConnectionSession connection, ResumeClaims claims, string why, TraceContext? resume = null)
    {
        if (!SocketPeerTracing.Source.HasListeners()) return null;
        var links = new List<ActivityLink>(2);
        if (connection.Trace is { } socket) links.Add(new ActivityLink(socket.Span));
        TraceContext.AddLink(links, resume);
        return SocketPeerTracing.StartRoot(SocketPeerTracing.Succession, ActivityKind.Internal, system, links)
            ?.SetTag(SocketPeerTracing.SessionTag, connection.Own.Value)
            .SetTag(SocketPeerTracing.ResumedTag, claims.Session.Value)
            .SetTag(SocketPeerTracing.OutcomeTag, why);
    }

    /// <summary>
    /// A successor needs a live partner session to re-point to it. When the partner's node is gone
    /// too (both ends of the pair were on the crashed node), neither successor could find the other;
    /// both sessions are rebuilt under their own ids once the node is removed, each confirming the other.
    /// </summary>
    private bool CanBeSucceeded(ResumeClaims claims) =>
        claims.Partner is not { } partner || SessionNodeStatus.IsOnLiveNode(system, partner);
}
