using System.Diagnostics;
using System.Net.WebSockets;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.Options;
using SocketPeer.Actors.Cluster;
using SocketPeer.Actors.Diagnostics;
using SocketPeer.Actors.Sessions;
using SocketPeer.Gateway.Ingress;
using SocketPeer.Gateway.JoinTokens;
using SocketPeer.Gateway.Limits;
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
/// → <see cref="OutboundPump"/> (encode) → <see cref="WebSocketWriter"/> → socket. A client that lets
/// the queue fill is closed with 4000 instead of being buffered without bound.</para>
/// <para>Which session the socket serves is its <see cref="ConnectionSession"/>'s to know; a resume
/// is <see cref="ResumeCoordinator"/>'s to carry out. This class runs the loops and the close handshake.</para>
/// </summary>
public sealed class ConnectionHandler(
    ActorSystem system,
    IRequiredActor<SessionRegion> sessionRegion,
    IngressLanes lanes,
    WireDecoder decoder,
    OutboundPump outbound,
    ResumeCoordinator resume,
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

    /// <summary>Checks every <c>pair</c>'s join token; null when the server does not require them.</summary>
    private readonly JoinTokenCheck? _joinTokens =
        options.Value.JoinTokens.Required ? new JoinTokenCheck(options.Value.JoinTokens, time) : null;

    /// <param name="budget">the client address's limits (pair attempts, busy answers, TURN credentials); null: none.</param>
    public async Task RunAsync(WebSocket socket, HttpContext http, ClientBudget? budget = null)
    {
        var session = SessionId.NewOn(system);
        using var scope = logger.BeginScope(new ConnectionLogScope(http.Connection.Id, session.Value));
        metrics.ConnectionOpened();
        logger.LogDebug("Connection from {RemoteAddress} opened", http.Connection.RemoteIpAddress);
        try
        {
            string? urlToken = _joinTokens is null ? null : http.Request.Query["token"].FirstOrDefault();
            // Here, not in a method of its own: every async method still running holds its own state
            // machine for the socket's whole life (memory per idle socket, docs/benchmarks.md).
            var outbox = new ConnectionOutbox(system, _options.OutboundQueueLength, InboundWindow, _options.OutboundQueueBytes);
            using var connectionOver = new CancellationTokenSource();
            try
            {
                await ServeAsync(socket, session, Accepted(session), outbox, budget, urlToken, connectionOver,
                    http.RequestAborted);
            }
            finally
            {
                connectionOver.Cancel(); // a read or a wait for the window still pending ends here
                outbox.Stop();
            }
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

    /// <summary>
    /// The socket's own trace: a span that ends at once, whose context the socket keeps for its pair
    /// and resume spans (docs/operations.md, "Tracing"). None when nothing samples it.
    /// </summary>
    private SocketTrace? Accepted(SessionId session)
    {
        using var span = SocketPeerTracing.StartRoot(SocketPeerTracing.Connection, ActivityKind.Server, system);
        return span is { Recorded: true } ? new SocketTrace(span.SetTag(SocketPeerTracing.SessionTag, session.Value).Context, system) : null;
    }

    private async Task ServeAsync(WebSocket socket, SessionId own, SocketTrace? trace, ConnectionOutbox outbox,
        ClientBudget? budget, string? urlToken, CancellationTokenSource connectionOver, CancellationToken clientGone)
    {
        using var idle = new IdleWatch(_options.IdleTimeout, time,
            () => outbox.Tell(new CloseRequest(CloseCodes.Idle, "idle-timeout")));
        var writer = new WebSocketWriter(socket, metrics) { SendTimeout = _options.SendTimeout };
        var session = new ConnectionSession(own, sessionRegion.ActorRef) { Trace = trace };
        var outboundDone = outbound.RunAsync(outbox, writer, session, idle, connectionOver.Token, budget);

        // The host's stop (SIGTERM) begins the node's stop; so does coordinated shutdown started any
        // other way (a node downed by the split brain resolver): either way, clients hear 1012.
        // Ingress stops first (idempotent, whichever socket gets here first): no message read from
        // now on reaches a session that is about to hand off.
        using var restart = NodeStopping.Get(system).Token.Register(() =>
        {
            lanes.Stop();
            outbox.Tell(new CloseRequest(CloseCodes.ServiceRestart, "service restart"));
        });

        var rate = new MessageRateLimit(_options.MessagesPerSecond, _options.MessageBurst, time);
        var gate = new InboundGate(session, decoder, rate)
        {
            Idle = idle,
            Budget = budget,
            JoinTokens = _joinTokens,
            UrlJoinToken = urlToken,
        };
        var ingress = new ConnectionIngress(lanes.For(own.Value), outbox, session);
        var inboundDone = ReadAllAsync(socket, gate, session, outbox, ingress, connectionOver.Token);

        var first = await Task.WhenAny(inboundDone, outboundDone);
        if (first == outboundDone)
        {
            // The outbound side ended first: the server closed (restart), the client fell behind,
            // or a send failed because the socket broke (then the inbound side fails too).
            if (outboundDone.IsCompletedSuccessfully && outboundDone.Result) // the client fell behind
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
        // The client closed: answer its close frame. Otherwise the gate closed, and its close
        // request is in the outbox already.
        if (socket.State == WebSocketState.CloseReceived) outbox.Tell(new CloseRequest(CloseCodes.Normal, ""));
        outbox.Complete();
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
    /// they do by going straight to the outbox.
    /// </remarks>
    private async Task ReadAllAsync(WebSocket socket, InboundGate gate, ConnectionSession session, ConnectionOutbox outbox,
        ConnectionIngress ingress, CancellationToken over)
    {
        try
        {
            // Told directly, not through the lane: the resume's HandOver (also told directly) must not
            // overtake it.
            await outbox.WaitForWindowAsync(over);
            outbox.Told();
            session.Region.Tell(new AttachConnection(session.Own, outbox), outbox);
            var first = true;
            var limits = new FrameLimits(_options.MaxFrameBytes, _options.MessageTimeout, _options.EmptyFramesPerMessage);
            await foreach (var frame in FrameReader.ReadAsync(socket, limits, over))
            {
                var decision = await gate.AdmitAsync(frame);
                if (first && decision is InboundDecision.Resume asked)
                {
                    // The first frame may be a `resume`: with a good token this socket then serves the
                    // session taken back (ResumeCoordinator). The socket's own `session` goes out first,
                    // so that the client can tell it from the resumed session's (docs/protocol.md,
                    // Resume); its entity may still be starting.
                    await WaitAsync(session.Announced(session.Own), _options.CloseTimeout);
                    decision = resume.TakeBack(asked, session, outbox, over);
                }
                first = false;
                if (decision is InboundDecision.Forward forward)
                {
                    // False once the node stopped taking messages: the frame is dropped and reading
                    // goes on until the 1012 close handshake ends.
                    await ingress.OfferAsync(forward.Message, over);
                    continue;
                }
                TellClient(decision, outbox);
                if (decision is InboundDecision.Close) break;
            }
        }
        finally
        {
            // After a resume the first session passes this on to the one taken back (HandOver).
            await ingress.FinishAsync(new ConnectionClosed(session.Own, outbox));
        }
    }

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
