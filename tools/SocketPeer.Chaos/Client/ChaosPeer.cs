using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using SocketPeer.Chaos.Nodes;
using SocketPeer.Chaos.Report;

namespace SocketPeer.Chaos.Client;

/// <summary>
/// One client of a pair, written the way docs/protocol.md asks a resuming client to behave: it opts
/// into resume, numbers what it relays with <c>seq</c>, acknowledges what it receives, keeps what
/// its partner has not acknowledged, and when its socket drops it reconnects (to a node in
/// rotation, after the browser client's back-off: <see cref="BrowserReconnectBackOff"/>) and sends <c>resume</c> with its latest token, then re-sends what the
/// server did not take. When resume is refused or unknown it pairs again with the same code, as the
/// original client does, and whatever that loses is counted, not hidden.
/// </summary>
public sealed partial class ChaosPeer : IChaosClient
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(5);
    /// <summary>
    /// How long a <c>resume</c> may go unanswered before the client drops that socket and tries
    /// again. The server answers within about 4 s (docs/protocol.md, Resume: a session that does not
    /// answer in time is succeeded), so this is only a safety net, and counted when it fires.
    /// </summary>
    private static readonly TimeSpan ResumeAnswerTimeout = TimeSpan.FromSeconds(10);
    private const int AckEvery = 32;

    private readonly int _pair;
    private readonly string _code;
    private readonly int _home;
    private readonly Endpoints _endpoints;
    private readonly RunClock _clock;
    private readonly DirectionLog _outbound;
    private readonly DirectionLog _inbound;
    private readonly string _direction;
    private readonly SemaphoreSlim _send = new(1, 1);
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _firstPairing = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly LinkedList<(long Seq, string Data)> _unacked = new();

    // Connection state, under _gate.
    private WebSocket? _ws;
    private Phase _phase = Phase.Disconnected;
    private string? _token;
    private string? _sessionId;
    private bool _resumeSupported = true;
    private long _lastSentSeq;
    private long _lastReceivedSeq;
    private long _lastAckedSeq;
    private double _lastAckAtMs;
    private long _nextNumber = 1;
    private TaskCompletionSource _reading = CompletedGate();
    private volatile bool _stopping;
    private readonly List<double> _drops = [];
    private readonly List<double> _busyAt = [];
    private readonly BrowserReconnectBackOff _backOff = new();
    /// <summary>The socket this client dropped itself because its resume went unanswered.</summary>
    private WebSocket? _abandoned;

    /// <param name="resume">false makes a client that never opts into resume, like the original client.</param>
    public ChaosPeer(int pair, bool isA, string code, int home, Endpoints endpoints, RunClock clock, DirectionLog outbound, DirectionLog inbound, bool resume = true)
    {
        _resumeSupported = resume;
        _pair = pair;
        _code = code;
        _home = home;
        _endpoints = endpoints;
        _clock = clock;
        _outbound = outbound;
        _inbound = inbound;
        _direction = isA ? "a" : "b";
        Name = $"pair {pair} {_direction}";
    }

    private enum Phase { Disconnected, Resuming, Pairing, Live }

    public ClientKind Kind => ClientKind.Resume;
    public string Name { get; }
    public PeerCounters Counters { get; } = new();
    /// <summary>Close codes this client saw, in order (the stuck-consumer fault checks for 4000).</summary>
    public List<string> CloseHistory { get; } = [];
    public int? Node { get; private set; }

    /// <summary>Completes at the first <c>peer.found</c>.</summary>
    public Task FirstPairing => _firstPairing.Task;

    public bool IsLive
    {
        get { lock (_gate) return _phase == Phase.Live; }
    }

    public int Unacknowledged
    {
        get { lock (_gate) return _unacked.Count; }
    }

    /// <summary>Stops (true) or restarts (false) reading from the socket: a stuck consumer.</summary>
    public void SetStuck(bool stuck)
    {
        lock (_gate)
        {
            if (stuck && _reading.Task.IsCompleted) _reading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            else if (!stuck) _reading.TrySetResult();
        }
    }

    /// <summary>Connects, reconnects and resumes until <paramref name="cancel"/> fires.</summary>
    public async Task RunAsync(CancellationToken cancel)
    {
        var preferred = _home;
        while (!cancel.IsCancellationRequested)
        {
            var node = _endpoints.Pick(preferred);
            var ws = new ClientWebSocket();
            // Pings with a deadline: a node cut off by a partition or a dead machine sends no reset.
            ws.Options.KeepAliveInterval = TimeSpan.FromSeconds(1);
            ws.Options.KeepAliveTimeout = TimeSpan.FromSeconds(15); // generous: a loaded machine delays pongs, and a stuck client reads none
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
                timeout.CancelAfter(ConnectTimeout);
                await ws.ConnectAsync(node.SocketUri, timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or HttpRequestException)
            {
                ws.Dispose();
                if (cancel.IsCancellationRequested) break;
                Interlocked.Increment(ref Counters.ConnectFailures);
                preferred = node.Ordinal + 1;
                // A browser reports a socket that never opened as 1006.
                await BackOffAsync(BrowserReconnectBackOff.AbnormalClosure, openFor: null, pairedOnSocket: false, cancel);
                continue;
            }
            Interlocked.Increment(ref Counters.Connects);
            Node = node.Ordinal;
            var openedAt = _clock.Now;
            var end = await ServeAsync(ws, cancel);
            if (cancel.IsCancellationRequested) break;
            // Somewhere else next time, spread by pair so that one node's clients do not all land on one node.
            preferred = node.Ordinal + 1 + _pair % Math.Max(1, _endpoints.Nodes.Count - 1);
            await BackOffAsync(end.CloseCode, TimeSpan.FromMilliseconds(_clock.Now - openedAt), end.WasLive, cancel);
        }
    }

    /// <summary>The browser client's wait before the next socket (<see cref="BrowserReconnectBackOff"/>).</summary>
    private Task BackOffAsync(int closeCode, TimeSpan? openFor, bool pairedOnSocket, CancellationToken cancel)
    {
        TimeSpan delay;
        lock (_gate) delay = _backOff.OnSocketClosed(closeCode, openFor, pairedOnSocket, Random.Shared.NextDouble());
        return Task.Delay(delay, cancel).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    /// <summary>How a socket ended: whether it got to Live, and the close code a browser would report.</summary>
    private readonly record struct SocketEnd(bool WasLive, int CloseCode);

    /// <summary>One socket's life: first messages, then the receive loop.</summary>
    private async Task<SocketEnd> ServeAsync(WebSocket ws, CancellationToken cancel)
    {
        string? token;
        lock (_gate)
        {
            _ws = ws;
            token = _resumeSupported ? _token : null;
            _phase = token is null ? Phase.Pairing : Phase.Resuming;
        }
        var wasLive = false;
        int closeCode;
        try
        {
            if (token is not null)
            {
                Interlocked.Increment(ref Counters.ResumeAttempts);
                long seq;
                lock (_gate) seq = _lastReceivedSeq;
                await SendControlAsync(ws, Json($$$"""{"type":"resume","data":{"token":{{{JsonSerializer.Serialize(token)}}},"seq":{{{seq}}}}}"""));
                _ = AbortIfUnansweredAsync(ws);
            }
            else
            {
                await StartPairingAsync(ws);
            }
            wasLive = await ReceiveLoopAsync(ws, cancel);
        }
        catch (Exception e) when (IsDisconnect(e))
        {
            Closed(ws.CloseStatus is { } status ? ((int)status).ToString() : "reset");
        }
        finally
        {
            // A close frame's code, or what a browser reports for a reset (read before our own abort).
            closeCode = ws.CloseStatus is { } received ? (int)received : BrowserReconnectBackOff.AbnormalClosure;
            lock (_gate)
            {
                if (_phase == Phase.Live) wasLive = true;
                if (_abandoned == ws) closeCode = BrowserReconnectBackOff.NormalClosure;
                _ws = null;
                _phase = Phase.Disconnected;
            }
            ws.Abort();
            ws.Dispose();
        }
        return new SocketEnd(wasLive, closeCode);
    }

    private async Task AbortIfUnansweredAsync(WebSocket ws)
    {
        await Task.Delay(ResumeAnswerTimeout);
        lock (_gate)
        {
            if (_ws != ws || _phase != Phase.Resuming) return;
            Counters.ResumeUnanswered++;
            _abandoned = ws; // the client's own decision, not a drop: no quick first reconnect
        }
        ws.Abort();
    }

    /// <summary>A fresh session: opt into resume (if the server has it) and pair with the code.</summary>
    private async Task StartPairingAsync(WebSocket ws)
    {
        bool resume;
        lock (_gate)
        {
            resume = _resumeSupported;
            _phase = Phase.Pairing;
        }
        if (resume) await SendControlAsync(ws, Json("""{"type":"session","data":{"resume":true}}"""));
        await SendControlAsync(ws, Json($$"""{"type":"pair","data":{{JsonSerializer.Serialize(_code)}}}"""));
    }

    /// <summary>When this client's sockets ended (run clock, ms), for the recovery figures.</summary>
    public IReadOnlyList<double> Drops
    {
        get { lock (_drops) return _drops.ToArray(); }
    }

    public IReadOnlyList<double> BusyAt
    {
        get { lock (_busyAt) return _busyAt.ToArray(); }
    }

    private void Closed(string how)
    {
        if (_stopping) return; // the harness's own abort at the end of the run is no event
        lock (_drops) _drops.Add(_clock.Now);
        Counters.Closes.AddOrUpdate(how, 1, (_, n) => n + 1);
        lock (CloseHistory) CloseHistory.Add(how);
    }

    public static bool IsDisconnect(Exception e) =>
        e is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException;

    private static byte[] Json(string text) => Encoding.UTF8.GetBytes(text);

    private static TaskCompletionSource CompletedGate()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gate.SetResult();
        return gate;
    }
}
