using System.Diagnostics;
using System.Text;
using SocketPeer.Bench.Client;
using SocketPeer.Bench.Measurement;
using SocketPeer.Bench.Reporting;

namespace SocketPeer.Bench.Scenarios;

/// <summary>
/// Paired peers negotiate as browsers do: the initiator sends an offer (~2 KB of SDP), the responder
/// answers and sends its ICE candidates, the initiator sends its candidates once it has the answer.
/// Exchanges start at a fixed total rate across the pairs (a pair whose last exchange is still running
/// skips its turn). Latency is per message, from its send to the partner's receipt.
/// </summary>
public sealed class SignallingScenario
{
    public const string Name = "signalling";
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);

    private readonly ScenarioContext _context;
    private readonly LatencyHistogram _latency = new();
    private readonly LatencyHistogram _exchangeLatency = new();
    private long _windowStart = long.MaxValue;
    private long _windowEnd = long.MaxValue;
    private long _receivedInWindow;
    private long _exchangesInWindow;
    private long _started;
    private long _completed;
    private long _skipped;
    private long _unexpected;
    private string? _firstUnexpected;
    private long _closedByServer;
    private volatile bool _finished;

    private SignallingScenario(ScenarioContext context) => _context = context;

    public static Task<ScenarioResult> RunAsync(ScenarioContext context, int repeat) => new SignallingScenario(context).RunAsync(repeat);

    private async Task<ScenarioResult> RunAsync(int repeat)
    {
        var settings = _context.Settings;
        var result = _context.NewResult(Name, repeat: repeat);
        result.OperationUnit = "message";
        var (pairs, failed, error) = await PairPool.ConnectAsync(_context, settings.Pairs, _context.Tag);
        try
        {
            if (failed > 0) throw new BenchException($"{failed} of {settings.Pairs} pairs failed to pair: {error}");
            var exchanges = pairs.Select(p => new Negotiation(this, p, _context.Target.Wire, settings.Candidates)).ToList();
            await _context.PrepareWindowAsync(result);

            var loops = exchanges.SelectMany(e => new[] { e.InitiatorLoopAsync(), e.ResponderLoopAsync() }).ToList();
            var scheduler = new RateScheduler<Negotiation>(exchanges, settings.ExchangeRate);
            var start = Stamp.Now + Stopwatch.Frequency / 10;
            var end = start + (long)((settings.WarmupSeconds + settings.Seconds) * Stopwatch.Frequency);
            var scheduled = scheduler.RunAsync(start, end, (negotiation, _, _, _) => negotiation.Start(), _context.Cancel);

            await Task.Delay(TimeSpan.FromSeconds(settings.WarmupSeconds), _context.Cancel);
            var cpu = CpuWindow.Start(_context.Target.Pid);
            Volatile.Write(ref _windowStart, Stamp.Now);
            var began = Stopwatch.GetTimestamp();
            using (_context.Progress.Show($"{_context.Target.Name} {Name}", () =>
                   {
                       var elapsed = Stopwatch.GetElapsedTime(began).TotalSeconds;
                       return $"{elapsed:0}/{settings.Seconds:0} s  {Interlocked.Read(ref _exchangesInWindow):N0} exchanges  " +
                              $"{Interlocked.Read(ref _receivedInWindow):N0} messages  p50 {_latency.Summarize().P50Us:N0} µs";
                   }))
                await Task.Delay(TimeSpan.FromSeconds(settings.Seconds), _context.Cancel);
            Volatile.Write(ref _windowEnd, Stamp.Now);
            var usage = cpu.Stop();
            await scheduled;

            var until = Stopwatch.GetTimestamp() + (long)(DrainTimeout.TotalSeconds * Stopwatch.Frequency);
            while (Interlocked.Read(ref _completed) < Interlocked.Read(ref _started) && Stopwatch.GetTimestamp() < until)
                await Task.Delay(50);
            _finished = true;
            await PairPool.DisposeAllAsync(pairs);
            await Task.WhenAny(Task.WhenAll(loops), Task.Delay(TimeSpan.FromSeconds(5)));

            result.Account(usage, Interlocked.Read(ref _receivedInWindow));
            result.ExchangesPerSecond = Math.Round(_exchangesInWindow / usage.Seconds, 1);
            result.Latency = _latency.Summarize();
            result.ExchangeLatency = _exchangeLatency.Summarize();
            result.Sent = _started;
            result.Lost = _started - _completed;
            result.Skipped = _skipped;
            result.ClosedByServer = _closedByServer;
            result.UnexpectedMessages = _unexpected;
            result.FirstUnexpectedMessage = _firstUnexpected;
            if (result.Lost > 0) result.Warnings.Add($"{result.Lost} exchanges never completed");
            return result;
        }
        finally
        {
            _finished = true;
            await PairPool.DisposeAllAsync(pairs);
        }
    }

    private bool InWindow(long now) => now >= Volatile.Read(ref _windowStart) && now < Volatile.Read(ref _windowEnd);

    /// <summary>One pair's repeated offer/answer/candidates exchange.</summary>
    private sealed class Negotiation
    {
        private readonly SignallingScenario _run;
        private readonly WsConnection _initiator;
        private readonly WsConnection _responder;
        private readonly MessageTemplate _offer;
        private readonly MessageTemplate _answer;
        private readonly MessageTemplate _initiatorCandidate;
        private readonly MessageTemplate _responderCandidate;
        private readonly int _candidates;
        private int _active;
        private int _remaining;
        private long _number;
        private long _offerSentAt;

        public Negotiation(SignallingScenario run, PeerPair pair, Wire wire, int candidates)
        {
            _run = run;
            _candidates = candidates;
            var aInitiates = pair.AIsInitiator;
            _initiator = aInitiates ? pair.A : pair.B;
            _responder = aInitiates ? pair.B : pair.A;
            _offer = wire.Signal(pair, fromA: aInitiates, SignalKind.Offer);
            _initiatorCandidate = wire.Signal(pair, fromA: aInitiates, SignalKind.Candidate);
            _answer = wire.Signal(pair, fromA: !aInitiates, SignalKind.Answer);
            _responderCandidate = wire.Signal(pair, fromA: !aInitiates, SignalKind.Candidate);
        }

        /// <summary>From the scheduler thread: begin an exchange unless the last one is still running.</summary>
        public void Start()
        {
            if (Interlocked.CompareExchange(ref _active, 1, 0) != 0)
            {
                Interlocked.Increment(ref _run._skipped);
                return;
            }
            Volatile.Write(ref _remaining, 2 * _candidates);
            Interlocked.Increment(ref _run._started);
            _ = SendOfferAsync();
        }

        private async Task SendOfferAsync()
        {
            try
            {
                _offerSentAt = Stamp.Now;
                await _initiator.SendFilledAsync(_offer, ++_number, _offerSentAt);
            }
            catch (Exception e) when (WsConnection.IsDisconnect(e))
            {
                // Counted as a never-completed exchange.
            }
        }

        public Task InitiatorLoopAsync() => LoopAsync(_initiator, async kind =>
        {
            if (kind == (byte)'a')
                for (var i = 0; i < _candidates; i++)
                    await _initiator.SendFilledAsync(_initiatorCandidate, _number, Stamp.Now);
        });

        public Task ResponderLoopAsync() => LoopAsync(_responder, async kind =>
        {
            if (kind != (byte)'o') return;
            await _responder.SendFilledAsync(_answer, _number, Stamp.Now);
            for (var i = 0; i < _candidates; i++)
                await _responder.SendFilledAsync(_responderCandidate, _number, Stamp.Now);
        });

        private async Task LoopAsync(WsConnection connection, Func<byte, Task> react)
        {
            try
            {
                while (await connection.ReceiveAsync())
                {
                    var now = Stamp.Now;
                    if (!Stamp.TryRead(connection.Frame, out _, out var sent, out var kind))
                    {
                        // After the run, closing one end tells the other (peer.left): expected then.
                        if (!_run._finished && Interlocked.Increment(ref _run._unexpected) == 1)
                            _run._firstUnexpected = Encoding.UTF8.GetString(connection.Frame[..Math.Min(200, connection.Frame.Length)]);
                        continue;
                    }
                    var inWindow = _run.InWindow(now);
                    if (inWindow)
                    {
                        Interlocked.Increment(ref _run._receivedInWindow);
                        _run._latency.Record(now - sent);
                    }
                    if (kind == (byte)'c' && Interlocked.Decrement(ref _remaining) == 0)
                    {
                        if (inWindow)
                        {
                            Interlocked.Increment(ref _run._exchangesInWindow);
                            _run._exchangeLatency.Record(now - _offerSentAt);
                        }
                        Interlocked.Increment(ref _run._completed);
                        Volatile.Write(ref _active, 0);
                        continue;
                    }
                    await react(kind);
                }
                if (!_run._finished) Interlocked.Increment(ref _run._closedByServer);
            }
            catch (Exception e) when (WsConnection.IsDisconnect(e))
            {
                if (!_run._finished) Interlocked.Increment(ref _run._closedByServer);
            }
        }
    }
}
