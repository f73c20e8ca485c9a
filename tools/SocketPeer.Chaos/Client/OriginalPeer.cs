using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using SocketPeer.Chaos.Nodes;
using SocketPeer.Chaos.Report;

namespace SocketPeer.Chaos.Client;

/// <summary>
/// One client of a pair that behaves like the original 2015 SocketPeer browser client in a page
/// that listens for its <c>error</c> event: no <c>session</c>, <c>seq</c>, <c>ack</c> or
/// <c>resume</c>. It sends <c>pair</c> as soon as its socket opens; <c>peer.found</c> is its only
/// "connected" signal; a dropped socket (reset or any close) is followed, after the
/// <see cref="ReconnectBackOff"/> delay, by a new socket to the next node in rotation (a load
/// balancer's choice) and <c>pair</c> with the same code; <c>busy</c> makes it close its socket and
/// do the same. Everything else it ignores (counted). The decisions are
/// <see cref="OriginalClientRules"/>; this class does the sockets.
/// </summary>
public sealed class OriginalPeer : IChaosClient
{
    /// <summary>How the report names a socket this client closed itself after <c>busy</c>.</summary>
    public const string ClosedAfterBusy = "closed by the client after busy";

    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(2);

    private readonly int _pair;
    private readonly byte[] _pairFrame;
    private readonly int _home;
    private readonly Endpoints _endpoints;
    private readonly RunClock _clock;
    private readonly DirectionLog _outbound;
    private readonly DirectionLog _inbound;
    private readonly string _direction;
    private readonly OriginalClientRules _rules = new();
    private readonly SemaphoreSlim _send = new(1, 1);
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _firstPairing = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<double> _drops = [];
    private readonly List<double> _busyAt = [];
    private WebSocket? _ws; // under _gate, as are _rules and _nextNumber
    private long _nextNumber = 1;
    private volatile bool _stopping;

    public OriginalPeer(int pair, bool isA, string code, int home, Endpoints endpoints, RunClock clock, DirectionLog outbound, DirectionLog inbound)
    {
        _pair = pair;
        _pairFrame = Encoding.UTF8.GetBytes($$"""{"type":"pair","data":{{JsonSerializer.Serialize(code)}}}""");
        _home = home;
        _endpoints = endpoints;
        _clock = clock;
        _outbound = outbound;
        _inbound = inbound;
        _direction = isA ? "a→b" : "b→a";
        Name = $"pair {pair} {(isA ? "a" : "b")} (original)";
    }

    public ClientKind Kind => ClientKind.Original;
    public string Name { get; }
    public PeerCounters Counters { get; } = new();
    public List<string> CloseHistory { get; } = [];
    public Task FirstPairing => _firstPairing.Task;

    public IReadOnlyList<double> Drops
    {
        get { lock (_drops) return _drops.ToArray(); }
    }

    public IReadOnlyList<double> BusyAt
    {
        get { lock (_busyAt) return _busyAt.ToArray(); }
    }

    public async Task RunAsync(CancellationToken cancel)
    {
        var node = _home;
        while (!cancel.IsCancellationRequested)
        {
            var spec = _endpoints.Pick(node);
            TimeSpan wait;
            lock (_gate) _rules.Connecting();
            var ws = new ClientWebSocket();
            // As the resume client: a node cut off without a reset must still be noticed.
            ws.Options.KeepAliveInterval = TimeSpan.FromSeconds(1);
            ws.Options.KeepAliveTimeout = TimeSpan.FromSeconds(15);
            var connected = false;
            try
            {
                using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel))
                {
                    timeout.CancelAfter(ConnectTimeout);
                    await ws.ConnectAsync(spec.SocketUri, timeout.Token);
                }
                connected = true;
                Interlocked.Increment(ref Counters.Connects);
                await ServeAsync(ws, cancel);
            }
            catch (Exception e) when (ChaosPeer.IsDisconnect(e) || e is HttpRequestException)
            {
                // The original's onclose fires for a socket that never opened too: same back-off.
                if (!connected) Interlocked.Increment(ref Counters.ConnectFailures);
                else Closed(ws.CloseStatus is { } status ? ((int)status).ToString() : "reset");
            }
            finally
            {
                lock (_gate)
                {
                    _ws = null;
                    wait = _rules.OnSocketClosed();
                }
                ws.Abort();
                ws.Dispose();
            }
            if (cancel.IsCancellationRequested) break;
            node = spec.Ordinal + 1; // the next node in rotation, as a load balancer would pick
            try
            {
                await Task.Delay(wait, cancel);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>One socket: <c>pair</c>, then read until it closes or <c>busy</c> makes the client close it.</summary>
    private async Task ServeAsync(ClientWebSocket ws, CancellationToken cancel)
    {
        lock (_gate) _ws = ws;
        await SendAsync(ws, _pairFrame);
        var buffer = new byte[64 * 1024];
        while (true)
        {
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
                return;
            }
            using var message = JsonDocument.Parse(buffer.AsMemory(0, length));
            if (Handle(message.RootElement) == OriginalReaction.CloseAndReconnect)
            {
                await CloseAfterBusyAsync(ws);
                return;
            }
        }
    }

    private OriginalReaction Handle(JsonElement message)
    {
        var type = message.TryGetProperty("type", out var t) ? t.GetString() : null;
        OriginalReaction reaction;
        lock (_gate) reaction = _rules.OnMessage(type);
        switch (reaction)
        {
            case OriginalReaction.Deliver:
                if (message.TryGetProperty("data", out var data) && AppMessage.Read(data) is { } app)
                    _inbound.RecordArrival(app.Number, app.SentAtMs, _clock.Now);
                break;
            case OriginalReaction.Paired:
                Interlocked.Increment(ref Counters.PeerFound);
                _firstPairing.TrySetResult();
                break;
            case OriginalReaction.CloseAndReconnect:
                Counters.ServerErrors.AddOrUpdate("busy", 1, (_, n) => n + 1);
                lock (_busyAt) _busyAt.Add(_clock.Now);
                break;
            default:
                if (type == "peer.left") Interlocked.Increment(ref Counters.PeerLeft);
                var what = type == "server.error" && message.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object
                    && d.TryGetProperty("code", out var code) ? $"server.error {code.GetString()}" : type ?? "(no type)";
                Counters.Ignored.AddOrUpdate(what, 1, (_, n) => n + 1);
                break;
        }
        return reaction;
    }

    /// <summary>The original's <c>socket.close()</c> after <c>busy</c>: a closing handshake, bounded.</summary>
    private async Task CloseAfterBusyAsync(ClientWebSocket ws)
    {
        try
        {
            using var timeout = new CancellationTokenSource(CloseTimeout);
            await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
        }
        catch (Exception e) when (ChaosPeer.IsDisconnect(e))
        {
            // Gone either way; the reconnect follows.
        }
        Closed(ClosedAfterBusy);
    }

    /// <summary>
    /// Sends the next message while this client believes it is paired. A message to a partner that
    /// is gone is simply lost, as it is for the original client: the report counts it.
    /// </summary>
    public async Task<bool> SendNextAsync(string padding)
    {
        WebSocket ws;
        byte[] frame;
        await _send.WaitAsync();
        try
        {
            lock (_gate)
            {
                if (!_rules.Paired || _ws is null) return false;
                ws = _ws;
                var number = _nextNumber++;
                var now = _clock.Now;
                frame = AppMessage.Frame(AppMessage.Payload(_pair, _direction, number, now, padding), seq: 0);
                _outbound.RecordSend(number, now);
            }
            using var timeout = new CancellationTokenSource(SendTimeout);
            await ws.SendAsync(frame, WebSocketMessageType.Text, true, timeout.Token);
        }
        catch (Exception e) when (ChaosPeer.IsDisconnect(e))
        {
            // Handed over and gone with the socket: lost, and counted as such.
        }
        finally
        {
            _send.Release();
        }
        return true;
    }

    /// <summary>The original client acknowledges nothing.</summary>
    public Task FlushAckIfDueAsync() => Task.CompletedTask;

    public void Abort()
    {
        _stopping = true;
        lock (_gate) _ws?.Abort();
    }

    private async Task SendAsync(WebSocket ws, byte[] frame)
    {
        await _send.WaitAsync();
        try
        {
            using var timeout = new CancellationTokenSource(SendTimeout);
            await ws.SendAsync(frame, WebSocketMessageType.Text, true, timeout.Token);
        }
        finally
        {
            _send.Release();
        }
    }

    private void Closed(string how)
    {
        if (_stopping) return; // the harness's own abort at the end of the run is no event
        lock (_drops) _drops.Add(_clock.Now);
        Counters.Closes.AddOrUpdate(how, 1, (_, n) => n + 1);
        lock (CloseHistory) CloseHistory.Add(how);
    }
}
