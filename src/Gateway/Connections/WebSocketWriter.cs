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
            case IClientMessage m:
                using (var frame = m is SessionStarted s ? WireEncoder.Session(s, ice.For(s.Id.Value)) : WireEncoder.Encode(m))
                {
                    Count(m);
                    var send = socket.SendAsync(frame.Memory, WebSocketMessageType.Text, true, CancellationToken.None).AsTask();
                    _inFlight = send;
                    await send;
                }
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
        await socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, CancellationToken.None);
    }

    private void Count(IClientMessage message)
    {
        switch (message)
        {
            case RelayedNotice r: metrics.Relayed(r.Kind, r.Payload.Length); break;
            case ServerErrorNotice e: metrics.Error(e.Code); break;
        }
    }
}
