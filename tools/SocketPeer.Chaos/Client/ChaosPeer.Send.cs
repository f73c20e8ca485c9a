using System.Net.WebSockets;

namespace SocketPeer.Chaos.Client;

public sealed partial class ChaosPeer
{
    /// <summary>
    /// Sends the next application message if this client is paired and connected; false (nothing
    /// made, nothing counted) otherwise, as an application waits for its channel to come back.
    /// </summary>
    public async Task<bool> SendNextAsync(string padding)
    {
        await _send.WaitAsync();
        try
        {
            WebSocket ws;
            byte[] frame;
            lock (_gate)
            {
                if (_phase != Phase.Live || _ws is null) return false;
                ws = _ws;
                var number = _nextNumber++;
                var now = _clock.Now;
                var seq = _resumeSupported ? ++_lastSentSeq : 0;
                var data = AppMessage.Payload(_pair, _direction == "a" ? "a→b" : "b→a", number, now, padding);
                if (_resumeSupported) _unacked.AddLast((seq, data));
                frame = AppMessage.Frame(data, seq);
                _outbound.RecordSend(number, now);
            }
            try
            {
                await SendRawAsync(ws, frame);
            }
            catch (Exception e) when (IsDisconnect(e))
            {
                // Counted as sent: the application handed it over. With resume it is re-sent later.
            }
            return true;
        }
        finally
        {
            _send.Release();
        }
    }

    /// <summary>Acknowledges what arrived since the last ack ("at least every second", protocol.md).</summary>
    public async Task FlushAckIfDueAsync()
    {
        WebSocket? ws;
        lock (_gate)
        {
            ws = _ws;
            if (ws is null || _phase != Phase.Live || !_resumeSupported || _lastReceivedSeq <= _lastAckedSeq || _clock.Now - _lastAckAtMs < 1000) return;
        }
        await FlushAckAsync(ws);
    }

    private async Task FlushAckAsync(WebSocket ws)
    {
        long seq;
        lock (_gate)
        {
            seq = _lastReceivedSeq;
            _lastAckedSeq = seq;
            _lastAckAtMs = _clock.Now;
        }
        try
        {
            await SendControlAsync(ws, Json($$$"""{"type":"ack","data":{"seq":{{{seq}}}}}"""));
        }
        catch (Exception e) when (IsDisconnect(e))
        {
            // The socket is going; the next resume carries the same number.
        }
    }

    private async Task SendControlAsync(WebSocket ws, byte[] frame)
    {
        await _send.WaitAsync();
        try
        {
            await SendRawAsync(ws, frame);
        }
        finally
        {
            _send.Release();
        }
    }

    /// <summary>One frame, under the caller's send lock. A send stuck for 5 s aborts the socket.</summary>
    private static async Task SendRawAsync(WebSocket ws, byte[] frame)
    {
        using var timeout = new CancellationTokenSource(SendTimeout);
        await ws.SendAsync(frame, WebSocketMessageType.Text, true, timeout.Token);
    }

    /// <summary>Drops the socket at the end of the run, without a closing handshake.</summary>
    public void Abort()
    {
        _stopping = true;
        lock (_gate) _ws?.Abort();
        SetStuck(false);
    }
}
