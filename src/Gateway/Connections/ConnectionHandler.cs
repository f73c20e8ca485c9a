using System.Net.WebSockets;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.Options;
using SocketPeer.Actors.Cluster;
using SocketPeer.Actors.Diagnostics;
using SocketPeer.Actors.Placement;
using SocketPeer.Actors.Sessions;
using SocketPeer.Gateway.Ice;
using SocketPeer.Gateway.Ingress;
using SocketPeer.Gateway.Options;
using SocketPeer.Gateway.Protocol;
using static SocketPeer.Gateway.Protocol.ServerErrorCodes;

namespace SocketPeer.Gateway.Connections;

/// <summary>
/// Runs one WebSocket connection as two loops around its session entity, with no actor of its own:
/// <para>inbound: frames → size, rate, decode (<see cref="InboundGate"/>) → the socket's ingress lane
/// (<see cref="IngressLanes"/>), which routes and delivers to the session, a few messages in flight at
/// a time (<see cref="SessionAck"/> is the backpressure);</para>
/// <para>outbound: the session tells the connection's <see cref="ConnectionOutbox"/> → a bounded queue
/// → encode → socket. A client that lets the queue fill is closed with 4000 instead of being buffered
/// without bound.</para>
/// </summary>
public sealed class ConnectionHandler(
    ActorSystem system,
    IRequiredActor<SessionRegion> sessionRegion,
    IngressLanes lanes,
    WireDecoder decoder,
    IceServerProvider ice,
    ResumeSettings resumeSettings,
    SocketPeerMetrics metrics,
    IOptions<SocketPeerOptions> options,
    TimeProvider time,
    ILogger<ConnectionHandler> logger)
{
    /// <summary>
    /// Messages from the client that may wait for the session's acknowledgement at once: enough to keep
    /// a busy pair's session fed without waiting a round trip per message, few enough that a session
    /// that stops answering (its node lost) holds little.
    /// </summary>
    private const int InboundWindow = 8;

    private readonly SocketPeerOptions _options = options.Value;
    private readonly ResumeAnswerWait _resumeWait = new(time);

    public async Task RunAsync(WebSocket socket, HttpContext http)
    {
        var session = SessionId.NewOn(system);
        using var scope = logger.BeginScope(new ConnectionLogScope(http.Connection.Id, session.Value));
        metrics.ConnectionOpened();
        logger.LogDebug("Connection from {RemoteAddress} opened", http.Connection.RemoteIpAddress);
        try
        {
            await RunLoopsAsync(socket, session, http.RequestAborted);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            // The client went away mid-way: nothing to answer.
        }
        catch (Exception e)
        {
            logger.LogError(e, "Connection failed");
            await CloseAfterFailureAsync(socket);
        }
        finally
        {
            metrics.ConnectionClosed();
            logger.LogDebug("Connection closed ({State}, {Status})", socket.State, socket.CloseStatus);
        }
    }

    private async Task RunLoopsAsync(WebSocket socket, SessionId session, CancellationToken clientGone)
    {
        var outbox = new ConnectionOutbox(system, _options.OutboundQueueLength, InboundWindow, _options.OutboundQueueBytes);
        using var connectionOver = new CancellationTokenSource();
        try
        {
            await ServeAsync(socket, session, outbox, connectionOver, clientGone);
        }
        finally
        {
            connectionOver.Cancel(); // a read or a wait for the window still pending ends here
            outbox.Stop();
        }
    }

    private async Task ServeAsync(WebSocket socket, SessionId session, ConnectionOutbox outbox,
        CancellationTokenSource connectionOver, CancellationToken clientGone)
    {
        using var idle = new IdleWatch(_options.IdleTimeout, time,
            () => outbox.Tell(new CloseRequest(CloseCodes.Idle, "idle-timeout")));
        var writer = new WebSocketWriter(socket, metrics, ice)
        {
            SendTimeout = _options.SendTimeout,
            Idle = idle,
        };
        var outboundDone = WriteAllAsync(outbox, writer);

        // The host's stop (SIGTERM) begins the node's stop; so does coordinated shutdown started any
        // other way (a node downed by the split brain resolver): either way, clients hear 1012.
        // Ingress stops first (idempotent, whichever socket gets here first): no message read from
        // now on reaches a session that is about to hand off.
        using var restart = NodeStopping.Get(system).Token.Register(() =>
        {
            lanes.Stop();
            outbox.Tell(new CloseRequest(CloseCodes.ServiceRestart, "service restart"));
        });
        var route = new SessionRoute(sessionRegion.ActorRef);
        writer.SessionLocated = location =>
        {
            route.Located(location);
            if (location.Session is not IInternalActorRef { IsLocal: true }) _ = ReconnectIfLostAsync(location.Session, outbox, connectionOver.Token);
        };

        var rate = new MessageRateLimit(_options.MessagesPerSecond, _options.MessageBurst, time);
        var gate = new InboundGate(session, decoder, rate) { Idle = idle };
        var resuming = new ResumeContext(gate, session, outbox, writer, connectionOver.Token);
        var ingress = new ConnectionIngress(lanes.For(session.Value), outbox, route, sessionRegion.ActorRef);
        var inboundDone = ReadAllAsync(socket, resuming, ingress);

        var first = await Task.WhenAny(inboundDone, outboundDone);
        if (first == outboundDone)
        {
            // The outbound side ended first: the server closed (restart), the client fell behind,
            // or a send failed because the socket broke (then the inbound side fails too).
            if (outboundDone.IsCompletedSuccessfully && outboundDone.Result == OutboundEnd.Overflowed)
            {
                logger.LogInformation("Closing a slow consumer: its queue reached {Messages} messages or {Bytes} bytes",
                    _options.OutboundQueueLength, _options.OutboundQueueBytes);
                await writer.CloseAfterInFlightAsync(CloseCodes.SlowConsumer, "slow-consumer", _options.CloseTimeout);
            }
            await AwaitOrAbort(inboundDone, socket); // the client answers our close frame
            // The inbound side may have ended on its own (the gate closed) just before: then
            // nothing reads the client's answer, and ending with its frames unread would reset the
            // connection, which can overtake our close frame.
            if (socket.State == WebSocketState.CloseSent)
                await DrainUntilClosedAsync(socket, clientGone);
            return;
        }

        if (inboundDone.Exception?.InnerException is { } failure
            && failure is not (WebSocketException or IOException or OperationCanceledException))
        {
            // A bug, not the client: say so (1011) rather than leave the socket hanging unanswered.
            logger.LogError(failure, "The inbound side of the connection failed");
            outbox.Tell(new CloseRequest(CloseCodes.InternalError, "internal-error"));
            outbox.Complete();
            await AwaitOrAbort(outboundDone, socket);
            await DrainUntilClosedAsync(socket, clientGone);
            return;
        }
        if (inboundDone.IsFaulted)
        {
            outbox.Complete(); // nothing more can be sent
            // Either the client reset the connection (then it is gone already and this returns at
            // once) or the WebSocket layer refused a frame (1007, invalid UTF-8): it sent its close
            // frame and aborted the socket. Ending the request now would reset the TCP connection
            // before the client reads why, so give it the close timeout to hang up first.
            await WaitAsync(clientGone, _options.CloseTimeout);
            return;
        }
        // The client closed (we answer its close frame), or the gate closed: then its own close went
        // into the outbox first and this one is never written.
        outbox.Tell(socket.State == WebSocketState.Open
            ? new CloseRequest(CloseCodes.ServiceRestart, "service restart")
            : new CloseRequest(CloseCodes.Normal, ""));
        await AwaitOrAbort(outboundDone, socket);
        if (socket.State == WebSocketState.CloseSent)
            await DrainUntilClosedAsync(socket, clientGone);
    }

    /// <summary>
    /// Inbound: frames → size, rate, decode (<see cref="InboundGate"/>) → the socket's ingress lane,
    /// which routes and tells the session, at most <see cref="InboundWindow"/> unacknowledged; refusals
    /// and closes go straight to the outbox.
    /// </summary>
    /// <remarks>
    /// Decoding stays here, per socket, not in the lane: a frame's verdict decides what this loop does
    /// next (a <c>resume</c> as the first frame is answered before the next frame is read; a close ends
    /// reading), and refusals must reach the client in order with the session's own answers, which
    /// they do by going straight to the outbox as before.
    /// </remarks>
    private async Task ReadAllAsync(WebSocket socket, ResumeContext context, ConnectionIngress ingress)
    {
        var outbox = context.Outbox;
        try
        {
            // Told directly, not through the lane: the resume's HandOver (also told directly) must not
            // overtake it.
            await outbox.WaitForWindowAsync(context.Over);
            outbox.Told();
            sessionRegion.ActorRef.Tell(new AttachConnection(context.Fresh, outbox), outbox);
            await foreach (var decision in DecideAsync(socket, context))
            {
                if (decision is InboundDecision.Forward forward)
                {
                    // False once the node stopped taking messages: the frame is dropped and reading
                    // goes on until the 1012 close handshake ends.
                    await ingress.OfferAsync(forward.Message, context.Over);
                    continue;
                }
                TellClient(decision, outbox);
                if (decision is InboundDecision.Close) break;
            }
        }
        finally
        {
            // After a resume the first session passes this on to the one taken back (HandOver).
            await ingress.FinishAsync(new ConnectionClosed(context.Fresh, outbox));
        }
    }

    /// <summary>Outbound: the session's messages, in order, onto the socket until a close or the end.</summary>
    private static async Task<OutboundEnd> WriteAllAsync(ConnectionOutbox outbox, WebSocketWriter writer)
    {
        var queue = outbox.Queue;
        while (await queue.WaitToReadAsync())
        {
            while (outbox.TryTake(out var message))
            {
                // A client that let the queue fill is closed now, not after everything queued for it.
                if (outbox.Overflowed) return OutboundEnd.Overflowed;
                if (!await writer.WriteAsync(message))
                    return outbox.Overflowed ? OutboundEnd.Overflowed : OutboundEnd.Closed;
            }
        }
        return outbox.Overflowed ? OutboundEnd.Overflowed : OutboundEnd.Completed;
    }

    private enum OutboundEnd
    {
        Closed,
        Completed,
        Overflowed,
    }

    /// <summary>
    /// The session of this socket lives on another node; if that node is lost while the socket
    /// lives, close with 1012: the client reconnects and resumes, and its session is rebuilt from
    /// its token on a live node (docs/design.md section 5, soft state refreshed from the edges).
    /// </summary>
    private async Task ReconnectIfLostAsync(IActorRef session, IActorRef outbound, CancellationToken connectionOver)
    {
        try
        {
            if (await session.WatchAsync(connectionOver))
            {
                logger.LogInformation("The session of this connection was lost with its node; asking the client to resume");
                outbound.Tell(new CloseRequest(CloseCodes.ServiceRestart, "session lost; resume"));
            }
        }
        catch (OperationCanceledException)
        {
            // The connection ended first.
        }
    }

    /// <summary>
    /// Each frame's decision, in order. The first frame may be a <c>resume</c>: with a good token this
    /// socket then serves the session taken back, and its own fresh session hands over to it.
    /// </summary>
    private async IAsyncEnumerable<InboundDecision> DecideAsync(WebSocket socket, ResumeContext context)
    {
        var first = true;
        var limits = new FrameLimits(_options.MaxFrameBytes, _options.MessageTimeout, _options.EmptyFramesPerMessage);
        await foreach (var frame in FrameReader.ReadAsync(socket, limits, context.Over))
        {
            var decision = context.Gate.Admit(frame);
            if (first && decision is InboundDecision.Resume resume)
            {
                // The socket's own `session` goes out first, so that the client can tell it from
                // the resumed session's (docs/protocol.md, Resume); its entity may still be starting.
                await WaitAsync(context.Writer.Announced(context.Fresh), _options.CloseTimeout);
                decision = TakeBack(resume, context);
            }
            first = false;
            yield return decision;
        }
    }

    private InboundDecision TakeBack(InboundDecision.Resume resume, ResumeContext context)
    {
        if (resumeSettings.Tokens.Read(resume.Token, out var problem) is not { } claims)
            return InboundDecision.Error(ResumeFailed, $"resume: {problem}; this socket goes on with a new session");
        if (SessionNodeStatus.IsUnreachable(system, claims.Session) && CanBeSucceeded(claims))
        {
            // Its node crashed and is not removed yet: its shard cannot move, so the session could
            // answer only after the removal (seconds). This socket's fresh session succeeds it now.
            logger.LogInformation("Session {Resumed} lives on an unreachable node; this connection's session succeeds it", claims.Session);
            return new InboundDecision.Forward(new ResumeConnection(context.Fresh, context.Outbox, claims, resume.Seq));
        }

        // The session answers with a `session` message, unless its node died just now, when nothing
        // answers: then this socket's session succeeds it (a client must never wait on a resume).
        var answerBy = _resumeWait.NextDeadline();
        var leaving = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        context.Writer.SessionLeaving = id =>
        {
            if (id == claims.Session) leaving.TrySetResult();
        };
        _ = SucceedIfUnansweredAsync(claims, resume.Seq, context, context.Writer.Announced(claims.Session), leaving.Task, answerBy);

        sessionRegion.ActorRef.Tell(new HandOver(context.Fresh, claims.Session), ActorRefs.NoSender);
        context.Gate.Session = claims.Session;
        logger.LogDebug("Connection resumes session {Resumed}", claims.Session);
        // Told directly, outside the inbound window: a session that never answers would hold a
        // place in the window for good, and with it, in the end, every later frame, also those for a successor. The
        // client sends nothing more until the answer, so nothing can overtake this.
        sessionRegion.ActorRef.Tell(new ResumeConnection(claims.Session, context.Outbox, claims, resume.Seq, answerBy), ActorRefs.NoSender);
        return InboundDecision.Ignore.Instance;
    }

    /// <summary>Until the resumed session answers (see <see cref="ResumeAnswerWait"/>); then, if need be, succeeds it.</summary>
    private async Task SucceedIfUnansweredAsync(ResumeClaims claims, long seq, ResumeContext context, Task answered,
        Task leaving, DateTimeOffset answerBy)
    {
        try
        {
            var why = await _resumeWait.UntilSuccessionAsync(answered, leaving, answerBy,
                () => SessionNodeStatus.IsUnreachable(system, claims.Session),
                () => CanBeSucceeded(claims),
                deadline => sessionRegion.ActorRef.Tell(
                    new ResumeConnection(claims.Session, context.Outbox, claims, seq, deadline), ActorRefs.NoSender),
                context.Over,
                () => SessionNodeStatus.IsRemoved(system, claims.Session));
            if (why is null) return;
            logger.LogInformation("Session {Resumed} did not take the resume ({Why}); this connection's session succeeds it",
                claims.Session, why);
            context.Gate.Session = context.Fresh;
            sessionRegion.ActorRef.Tell(new ResumeConnection(context.Fresh, context.Outbox, claims, seq), ActorRefs.NoSender);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Waiting for the answer to a resume failed");
        }
    }

    /// <summary>
    /// A successor needs a live partner session to re-point to it. When the partner's node is gone
    /// too (both ends of the pair were on the crashed node), neither successor could find the other;
    /// both sessions are rebuilt under their own ids once the node is removed, each confirming the other.
    /// </summary>
    private bool CanBeSucceeded(ResumeClaims claims) =>
        claims.Partner is not { } partner || SessionNodeStatus.IsOnLiveNode(system, partner);

    /// <summary>What deciding a socket's first frame needs: its gate, its own session, its outbound side.</summary>
    private sealed record ResumeContext(InboundGate Gate, SessionId Fresh, ConnectionOutbox Outbox, WebSocketWriter Writer,
        CancellationToken Over);

    /// <summary>What does not go to the session: refusals and closes go straight back to the client.</summary>
    private static void TellClient(InboundDecision decision, IActorRef outbox)
    {
        switch (decision)
        {
            case InboundDecision.Resume:
                outbox.Tell(new ServerErrorNotice(BadMessage, "resume: only the first message on a new socket may resume a session"));
                break;
            case InboundDecision.Refuse r: outbox.Tell(r.Notice); break;
            case InboundDecision.Close c: outbox.Tell(new CloseRequest(c.Code, c.Reason)); break;
        }
    }

    private async Task AwaitOrAbort(Task task, WebSocket socket)
    {
        try
        {
            await task.WaitAsync(_options.CloseTimeout);
        }
        catch (TimeoutException)
        {
            socket.Abort();
        }
        catch
        {
            // A failed side has already ended the socket.
        }
    }

    private async Task CloseAfterFailureAsync(WebSocket socket)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived)) return;
        try
        {
            metrics.Closed(CloseCodes.InternalError);
            using var timeout = new CancellationTokenSource(_options.CloseTimeout);
            await socket.CloseOutputAsync(WebSocketCloseStatus.InternalServerError, "internal-error", timeout.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            // Could not even say why; the socket is gone.
        }
    }

    private static async Task WaitAsync(Task task, TimeSpan atMost) => await Task.WhenAny(task, Task.Delay(atMost));

    private static async Task WaitAsync(CancellationToken until, TimeSpan atMost)
    {
        var gone = new TaskCompletionSource();
        await using var _ = until.Register(gone.SetResult);
        await Task.WhenAny(gone.Task, Task.Delay(atMost));
    }

    /// <summary>After our close frame: read (and discard) until the client's close, or give up.</summary>
    private async Task DrainUntilClosedAsync(WebSocket socket, CancellationToken clientGone)
    {
        using var timeout = new CancellationTokenSource(_options.CloseTimeout);
        var scratch = new byte[256];
        try
        {
            while (socket.State == WebSocketState.CloseSent)
                await socket.ReceiveAsync(scratch, timeout.Token);
        }
        catch (InvalidOperationException)
        {
            // A read is still pending: a message that stalled (MessageTimeout) mid-frame, whose
            // declared rest would swallow the client's close frame. Give the client the close
            // timeout to read ours and hang up, then reset.
            await WaitAsync(clientGone, _options.CloseTimeout);
            socket.Abort();
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            socket.Abort();
        }
    }
}
