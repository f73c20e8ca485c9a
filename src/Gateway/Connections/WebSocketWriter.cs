using System.Net.WebSockets;
using SocketPeer.Actors.Diagnostics;
using SocketPeer.Actors.Sessions;
using SocketPeer.Gateway.Ice;
using SocketPeer.Gateway.Protocol;

namespace SocketPeer.Gateway.Connections;

/// <summary>Ask the connection's outbound stream to close the socket after what is queued before it.</summary>
public sealed record CloseRequest(int Code, string Reason);

/// <summary>
/// The send side of one socket. The outbound stream calls <see cref="WriteAsync"/> one message at a
/// time (WebSocket allows one send in flight), so no lock is needed; the send in flight is kept so a
/// close can wait for it.
/// </summary>
public sealed class WebSocketWriter(WebSocket socket, SocketPeerMetrics metrics, IceServerProvider ice)
{
    /// <summary>Called when the session serving this socket turns out to live on another node.</summary>
    public Action<Akka.Actor.IActorRef>? SessionIsRemote { get; set; }

    /// <summary>Called with the id of every <c>session</c> message written (a resumed session answers with one).</summary>
    public Action<SessionId>? SessionAnnounced { get; set; }

    private Task _inFlight = Task.CompletedTask;
    private int _closed;

    /// <returns>false once the socket is closed: the stream ends there.</returns>
    public async Task<bool> WriteAsync(object message)
    {
        switch (message)
        {
            case SessionLocation location:
                SessionIsRemote?.Invoke(location.Session);
                return true;
            case SessionMovedNotice:
                await CloseAsync(CloseCodes.SessionResumed, "session-resumed");
                return false;
            case IClientMessage m:
                if (m is SessionStarted announced) SessionAnnounced?.Invoke(announced.Id);
                using (var frame = m is SessionStarted s ? WireEncoder.Session(s, ice.For(s.Id.Value)) : WireEncoder.Encode(m))
                {
                    Count(m);
                    var send = socket.SendAsync(frame.Memory, WebSocketMessageType.Text, true, CancellationToken.None).AsTask();
                    _inFlight = send;
                    await send;
                }
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
