using System.Net.WebSockets;
using System.Text.Json;

namespace SocketPeer.Chaos.Client;

public sealed partial class ChaosPeer
{
    /// <summary>Reads until the socket closes; true if this socket got to Live.</summary>
    private async Task<bool> ReceiveLoopAsync(WebSocket ws, CancellationToken cancel)
    {
        var buffer = new byte[64 * 1024];
        var wasLive = false;
        while (true)
        {
            Task reading;
            lock (_gate) reading = _reading.Task;
            await reading.WaitAsync(cancel); // a stuck consumer waits here with its socket unread
            var length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                if (length == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
                result = await ws.ReceiveAsync(buffer.AsMemory(length), cancel);
                length += result.Count;
            } while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                Closed(ws.CloseStatus is { } status ? ((int)status).ToString() : "close");
                return wasLive;
            }
            using var message = JsonDocument.Parse(buffer.AsMemory(0, length));
            await HandleAsync(ws, message.RootElement);
            lock (_gate) wasLive |= _phase == Phase.Live;
        }
    }

    private async Task HandleAsync(WebSocket ws, JsonElement message)
    {
        var type = message.TryGetProperty("type", out var t) ? t.GetString() : null;
        message.TryGetProperty("data", out var data);
        switch (type)
        {
            case "data":
                await ReceivedDataAsync(ws, message, data);
                break;
            case "session":
                if (data.ValueKind == JsonValueKind.Object && data.TryGetProperty("token", out var token) && token.ValueKind == JsonValueKind.String)
                {
                    var id = data.TryGetProperty("id", out var idElement) ? idElement.GetString() : null;
                    lock (_gate)
                    {
                        // While resuming, the new socket's own fresh session comes first: its token
                        // is for a session this client does not want; keep ours (docs/protocol.md, Resume).
                        if (_phase == Phase.Resuming && _sessionId is not null && id != _sessionId) break;
                        _sessionId = id;
                        _token = token.GetString();
                    }
                }
                break;
            case "session.token":
                lock (_gate) _token = data.GetProperty("token").GetString();
                break;
            case "peer.found":
                PeerFound();
                break;
            case "peer.left":
                Interlocked.Increment(ref Counters.PeerLeft);
                lock (_gate) _phase = Phase.Pairing;
                break;
            case "ack":
                Acknowledged(data.GetProperty("seq").GetInt64());
                break;
            case "resumed":
                await ResumedAsync(ws, data.GetProperty("seq").GetInt64(), data.TryGetProperty("state", out var s) ? s.GetString() : null);
                break;
            case "busy":
                // Our own dead session still holds the slot (a server without resume learns of it
                // later): ask again in a second, within the run's bounds.
                Counters.ServerErrors.AddOrUpdate("busy", 1, (_, n) => n + 1);
                lock (_busyAt) _busyAt.Add(_clock.Now);
                _ = RetryPairAsync(ws);
                break;
            case "server.error":
                await ServerErrorAsync(ws, data.GetProperty("code").GetString() ?? "");
                break;
        }
    }

    private async Task RetryPairAsync(WebSocket ws)
    {
        await Task.Delay(TimeSpan.FromSeconds(1));
        lock (_gate)
            if (_ws != ws || _phase != Phase.Pairing) return;
        try
        {
            await SendControlAsync(ws, Json($$"""{"type":"pair","data":{{JsonSerializer.Serialize(_code)}}}"""));
        }
        catch (Exception e) when (IsDisconnect(e))
        {
            // That socket is gone; the next one pairs or resumes anyway.
        }
    }

    private void PeerFound()
    {
        Interlocked.Increment(ref Counters.PeerFound);
        lock (_gate)
        {
            // A new pairing: both sides number from 1 again, and what the old partner never
            // acknowledged cannot be delivered any more (the report counts it if it was lost).
            Counters.Abandoned += _unacked.Count;
            _unacked.Clear();
            _lastSentSeq = 0;
            _lastReceivedSeq = 0;
            _lastAckedSeq = 0;
            _phase = Phase.Live;
            _backOff.Connected();
        }
        _firstPairing.TrySetResult();
    }

    private async Task ReceivedDataAsync(WebSocket ws, JsonElement message, JsonElement data)
    {
        var now = _clock.Now;
        bool ackNow;
        lock (_gate)
        {
            if (message.TryGetProperty("seq", out var seqElement) && seqElement.TryGetInt64(out var seq))
            {
                if (seq <= _lastReceivedSeq) Counters.ProtocolDuplicates++;
                else _lastReceivedSeq = seq;
            }
            ackNow = _resumeSupported && _lastReceivedSeq - _lastAckedSeq >= AckEvery;
        }
        if (AppMessage.Read(data) is { } app) _inbound.RecordArrival(app.Number, app.SentAtMs, now);
        if (ackNow) await FlushAckAsync(ws);
    }

    private void Acknowledged(long seq)
    {
        lock (_gate)
        {
            while (_unacked.First is { } first && first.Value.Seq <= seq) _unacked.RemoveFirst();
        }
    }

    /// <summary>
    /// The server took the session back: it holds our messages up to <paramref name="heldSeq"/>;
    /// everything after is re-sent with its number, before any new message (the send lock is held
    /// throughout, so a new message cannot overtake the re-sends and make them look like duplicates).
    /// What the server holds is not forgotten here: only the partner's <c>ack</c> does that
    /// (docs/protocol.md). A session that holds them can still be lost (its node hands it off a
    /// moment later), and the rebuilt one then says it holds less; forgetting them at the first
    /// <c>resumed</c> lost exactly those messages in a rolling-restart chaos run.
    /// </summary>
    private async Task ResumedAsync(WebSocket ws, long heldSeq, string? state)
    {
        Interlocked.Increment(ref Counters.Resumed);
        Counters.ResumedStates.AddOrUpdate(state ?? "?", 1, (_, n) => n + 1);
        await _send.WaitAsync();
        try
        {
            List<(long Seq, string Data)> resend;
            lock (_gate)
            {
                resend = [.. _unacked.Where(m => m.Seq > heldSeq)];
                _phase = state == "paired" ? Phase.Live : Phase.Pairing;
                _backOff.Connected(); // socketpeer.js resets its failures on any `resumed`
            }
            foreach (var (seq, data) in resend) await SendRawAsync(ws, AppMessage.Frame(data, seq));
            Counters.Resent += resend.Count;
        }
        finally
        {
            _send.Release();
        }
        if (state == "idle") await SendControlAsync(ws, Json($$"""{"type":"pair","data":{{JsonSerializer.Serialize(_code)}}}"""));
    }

    private async Task ServerErrorAsync(WebSocket ws, string code)
    {
        Counters.ServerErrors.AddOrUpdate(code, 1, (_, n) => n + 1);
        bool fallBack;
        lock (_gate)
        {
            fallBack = _phase == Phase.Resuming && code is "resume-failed" or "unknown-type" or "bad-message";
            if (code == "unknown-type" && _resumeSupported)
            {
                // Only the resume extension's messages can be unknown: this server has no resume.
                _resumeSupported = false;
                Counters.ResumeUnsupported++;
                _unacked.Clear();
            }
            if (code == "resume-failed") Counters.ResumeFailed++;
        }
        // The socket goes on with its fresh session: pair again with the same code.
        if (fallBack) await StartPairingAsync(ws);
    }
}
