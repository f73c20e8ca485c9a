using System.Net.WebSockets;
using SocketPeer.Actors.Diagnostics;
using SocketPeer.Gateway.Protocol;

namespace SocketPeer.Gateway.Connections;

/// <summary>Ask the connection's outbound loop to close the socket after what is queued before it.</summary>
public sealed record CloseRequest(int Code, string Reason);

/// <summary>
/// The send side of one socket: writes encoded frames and close frames, each under a deadline. The
/// outbound loop (<see cref="OutboundPump"/>) calls it one frame at a time (WebSocket allows one send
/// in flight), so no lock is needed; the send in flight is kept so a close can wait for it.
/// </summary>
public sealed class WebSocketWriter(WebSocket socket, SocketPeerMetrics metrics)
{
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

    /// <summary>A send did not complete within <see cref="SendTimeout"/> and the socket was aborted.</summary>
    public bool TimedOut { get; private set; }

    private Task _inFlight = Task.CompletedTask;
    private int _closed;

    /// <summary>Sends one text frame; the frame is disposed once the socket lets go of it.</summary>
    /// <returns>false when the send did not complete within <see cref="SendTimeout"/> (the socket is aborted).</returns>
    public async Task<bool> SendAsync(EncodedFrame frame)
    {
        var send = socket.SendAsync(frame.Memory, WebSocketMessageType.Text, true, CancellationToken.None).AsTask();
        _inFlight = send;
        if (!await SentInTimeAsync(send))
        {
            // The frame's pooled buffer goes back only once the send lets go of it.
            _ = send.ContinueWith(_ => frame.Dispose(), CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return false;
        }
        frame.Dispose();
        return true;
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

    /// <summary>Sends a close frame (once; later calls do nothing), under the send deadline.</summary>
    public async Task CloseAsync(int code, string reason)
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
}
