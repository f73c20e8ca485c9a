using System.Net.WebSockets;
using SocketPeer.Actors.Diagnostics;
using SocketPeer.Actors.Sessions;
using SocketPeer.Gateway.Ice;
using SocketPeer.Gateway.Protocol;

namespace SocketPeer.Gateway.Connections;

/// <summary>Ask the connection's outbound loop to close the socket after what is queued before it.</summary>
public sealed record CloseRequest(int Code, string Reason);

/// <summary>
/// The send side of one socket. The outbound loop calls <see cref="WriteAsync"/> one message at a
/// time (WebSocket allows one send in flight), so no lock is needed; the send in flight is kept so a
/// close can wait for it.
/// </summary>
public sealed class WebSocketWriter(WebSocket socket, SocketPeerMetrics metrics, IceServerProvider ice)
{
    /// <summary>Called when the entity serving this socket says where it is.</summary>
    public Action<SessionLocation>? SessionLocated { get; set; }

    private readonly List<(SessionId Id, TaskCompletionSource Written)> _announcements = [];

    /// <summary>
    /// Completes once a <c>session</c> message for <paramref name="session"/> has been written (a
    /// socket's own session announces itself first; a resumed session answers with one).
    /// </summary>
    public Task Announced(SessionId session)
    {
        lock (_announcements)
        {
            foreach (var (id, written) in _announcements)
                if (id == session) return written.Task;
            var added = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _announcements.Add((session, added));
            return added.Task;
        }
    }

    private void Announce(SessionId session)
    {
        TaskCompletionSource written;
        lock (_announcements)
        {
            var index = _announcements.FindIndex(a => a.Id == session);
            if (index < 0) _announcements.Add((session, written = new TaskCompletionSource()));
            else written = _announcements[index].Written;
        }
        written.TrySetResult();
    }

    /// <summary>Called when a resumed session declines because its node is leaving (nothing is written).</summary>
    public Action<SessionId>? SessionLeaving { get; set; }

    /// <summary>
    /// How long one send may take (<c>SendTimeout</c>): a client that stops reading fills its TCP
    /// window, and a send with no deadline would then wait for good, holding the socket and its queue.
    /// </summary>
    public TimeSpan SendTimeout { get; init; } = Timeout.InfiniteTimeSpan;

    /// <summary>
    /// The send deadline: one timer per socket, armed only while a send waits (most complete at once)
    /// and re-armed for the next, rather than a timer and a task per waiting send, which a busy
    /// socket pays for thousands of times a second. Never disposed: the writer may still be draining
    /// after the connection's loops return, and a timer that is not armed is collected with it.
    /// </summary>
    private ITimer? _deadline;

    /// <summary>1 while a send waits with the deadline armed; 2 once the deadline gave up on it.</summary>
    private int _waiting;

    private bool _waitingForClose;

    /// <summary>Told of every message sent to the client (the idle timeout), when set.</summary>
    public IdleWatch? Idle { get; init; }

    /// <summary>A send did not complete within <see cref="SendTimeout"/> and the socket was aborted.</summary>
    public bool TimedOut { get; private set; }

    private Task _inFlight = Task.CompletedTask;
    private int _closed;

    /// <returns>false once the socket is closed: the outbound loop ends there.</returns>
    public async Task<bool> WriteAsync(object message)
    {
        switch (message)
        {
            case SessionLocation location:
                SessionLocated?.Invoke(location);
                return true;
            case SessionLeavingNotice leaving:
                SessionLeaving?.Invoke(leaving.Session);
                return true;
            case SessionMovedNotice:
                await CloseAsync(CloseCodes.SessionResumed, "session-resumed");
                return false;
            case IClientMessage or ServerErrorNotice:
                var m = message;
                Idle?.Sent(m);
                var frame = m is SessionStarted s ? WireEncoder.Session(s, ice.For(s.Id.Value)) : WireEncoder.Encode(m);
                Count(m);
                var send = socket.SendAsync(frame.Memory, WebSocketMessageType.Text, true, CancellationToken.None).AsTask();
                _inFlight = send;
                if (!await SentInTimeAsync(send))
                {
                    // The frame's pooled buffer goes back only once the send lets go of it (see below).
                    _ = send.ContinueWith(_ => frame.Dispose(), CancellationToken.None,
                        TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                    return false;
                }
                frame.Dispose();
                if (m is SessionStarted announced) Announce(announced.Id);
                return true;
            case CloseRequest close:
                await CloseAsync(close.Code, close.Reason);
                return false;
            default:
                return true;
        }
    }

    /// <summary>
    /// Sends a close frame once the send in flight (if any) has gone out, waiting at most
    /// <paramref name="timeout"/> for it; a client that reads nothing at all is aborted instead.
    /// </summary>
    public async Task CloseAfterInFlightAsync(int code, string reason, TimeSpan timeout)
    {
        try
        {
            await _inFlight.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            metrics.Closed(code);
            socket.Abort();
            return;
        }
        catch
        {
            return; // the send failed: the socket is already gone
        }
        await CloseAsync(code, reason);
    }

    private async Task CloseAsync(int code, string reason)
    {
        if (Interlocked.Exchange(ref _closed, 1) == 1) return;
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived)) return;
        metrics.Closed(code);
        // A close frame is a send too: a client whose window is full would hold it for good.
        await SentInTimeAsync(socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, CancellationToken.None), closing: true);
    }

    /// <summary>
    /// Waits for <paramref name="send"/> at most <see cref="SendTimeout"/>. On the deadline the socket
    /// is aborted: no close frame could pass a full window, and the abort fails the read side, so the
    /// session hears the connection closed at once. An outbox that overflows meanwhile is closed once
    /// this send ends, by its deadline at the latest.
    /// </summary>
    /// <returns>false when the send was given up (the socket aborted).</returns>
    /// <param name="closing">a close frame: already counted under its own code.</param>
    private async Task<bool> SentInTimeAsync(Task send, bool closing = false)
    {
        if (send.IsCompleted || SendTimeout == Timeout.InfiniteTimeSpan)
        {
            await send; // the usual case, a socket with room in its window: no timer
            return true;
        }
        _waitingForClose = closing;
        _deadline ??= TimeProvider.System.CreateTimer(static w => ((WebSocketWriter)w!).SendTooSlow(), this,
            Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        Volatile.Write(ref _waiting, 1);
        _deadline.Change(SendTimeout, Timeout.InfiniteTimeSpan);
        try
        {
            await send;
            return true;
        }
        catch when (Volatile.Read(ref _waiting) == 2)
        {
            return false; // aborted by the deadline: the send's failure says nothing more
        }
        finally
        {
            if (Interlocked.CompareExchange(ref _waiting, 0, 1) == 1)
                _deadline.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    private void SendTooSlow()
    {
        if (Interlocked.CompareExchange(ref _waiting, 2, 1) != 1) return; // the send ended just in time
        TimedOut = true;
        if (!_waitingForClose) metrics.Closed(CloseCodes.SlowConsumer);
        socket.Abort();
    }

    private void Count(object message)
    {
        switch (message)
        {
            case RelayedNotice r: metrics.Relayed(r.Kind, r.Payload.Length); break;
            case ServerErrorNotice e: metrics.Error(e.Code); break;
            case RefusedNotice refused: metrics.Error(ServerErrors.For(refused).Code); break;
        }
    }
}
