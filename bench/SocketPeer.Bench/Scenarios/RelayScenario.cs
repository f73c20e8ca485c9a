using System.Diagnostics;
using System.Text;
using SocketPeer.Bench.Client;
using SocketPeer.Bench.Measurement;
using SocketPeer.Bench.Reporting;

namespace SocketPeer.Bench.Scenarios;

/// <summary>
/// P pairs relay S-byte <c>data</c> messages both ways, each carrying a sequence number and a timestamp.
/// <para>Closed loop (maximum rate): each direction keeps a fixed window of messages in flight and sends
/// one more per receipt. A window, not a flood: the server closes a receiver whose outbound queue (256)
/// fills, by design, so an unbounded sender would measure disconnections.</para>
/// <para>Open loop (latency): a fixed total rate, spread evenly over the flows; latency runs from each
/// message's scheduled send time, so a late send (client or server) is counted, not hidden.</para>
/// Only receipts inside the timed window count; after it, sending stops and in-flight messages drain,
/// and whatever never arrived is lost.
/// </summary>
public sealed class RelayScenario
{
    public const string ClosedName = "relay-closed";
    public const string OpenName = "relay-open";
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);

    private readonly ScenarioContext _context;
    private readonly bool _open;
    private readonly LatencyHistogram _latency = new();
    private long _windowStart = long.MaxValue;
    private long _windowEnd = long.MaxValue;
    private volatile bool _sending = true;
    private volatile bool _finished;
    private long _closedByServer;
    private long _unexpected;
    private string? _firstUnexpected;

    private RelayScenario(ScenarioContext context, bool open)
    {
        _context = context;
        _open = open;
    }

    public static Task<ScenarioResult> RunClosedAsync(ScenarioContext context, int repeat) =>
        new RelayScenario(context, open: false).RunAsync(repeat);

    public static Task<ScenarioResult> RunOpenAsync(ScenarioContext context, int repeat) =>
        new RelayScenario(context, open: true).RunAsync(repeat);

    private async Task<ScenarioResult> RunAsync(int repeat)
    {
        var settings = _context.Settings;
        var result = _context.NewResult(_open ? OpenName : ClosedName, repeat: repeat);
        result.OperationUnit = "message";
        result.Caveat = _context.Target.Wire.RelayCaveat;

        var (pairs, failed, error) = await PairPool.ConnectAsync(_context, settings.Pairs, _context.Tag);
        try
        {
            if (failed > 0) throw new Client.BenchException($"{failed} of {settings.Pairs} pairs failed to pair: {error}");
            var flows = pairs.SelectMany(p => new[]
            {
                new RelayFlow(p.A, p.B, _context.Target.Wire.Data(p, fromA: true, settings.Size)),
                new RelayFlow(p.B, p.A, _context.Target.Wire.Data(p, fromA: false, settings.Size)),
            }).ToList();

            await _context.PrepareWindowAsync(result);

            Task load;
            Task scheduled = Task.CompletedTask;
            if (_open)
            {
                var loops = flows.Select(ReceiveLoopAsync).ToList();
                var scheduler = new RateScheduler<RelayFlow>(flows, settings.Rate);
                var start = Stamp.Now + Stopwatch.Frequency / 10;
                for (var i = 0; i < flows.Count; i++) flows[i].UseSchedule(start, scheduler.IntervalTicks, (double)i / flows.Count);
                var end = start + (long)((settings.WarmupSeconds + settings.Seconds) * Stopwatch.Frequency);
                scheduled = scheduler.RunAsync(start, end, (flow, _, slot, _) => flow.Due(slot), _context.Cancel);
                load = Task.WhenAll(loops);
            }
            else
            {
                // The first window goes out before any receive loop starts, so each flow's sequence
                // numbers have one writer at a time: the loop of its receiver, from then on.
                foreach (var flow in flows)
                    for (var i = 0; i < settings.Window; i++)
                        await flow.SendNextAsync();
                load = Task.WhenAll(flows.Select(ReceiveLoopAsync));
            }

            await Task.Delay(TimeSpan.FromSeconds(settings.WarmupSeconds), _context.Cancel);
            var usage = await WindowAsync(flows, settings.Seconds);
            _sending = false;
            await scheduled;
            var drained = await DrainAsync(flows);
            _finished = true;
            await PairPool.DisposeAllAsync(pairs);
            await Task.WhenAny(load, Task.Delay(TimeSpan.FromSeconds(5)));

            var received = flows.Sum(f => f.ReceivedInWindow);
            result.Account(usage, received);
            result.Latency = _latency.Summarize();
            result.Sent = flows.Sum(f => f.NextSeq);
            result.Lost = flows.Sum(f => f.NextSeq - f.Seen.Distinct);
            result.Duplicated = flows.Sum(f => f.Seen.Duplicated);
            result.OutOfOrder = flows.Sum(f => f.Seen.OutOfOrder);
            result.ClosedByServer = _closedByServer;
            result.UnexpectedMessages = _unexpected;
            result.FirstUnexpectedMessage = _firstUnexpected;
            if (!drained) result.Warnings.Add($"in-flight messages had not all arrived {DrainTimeout.TotalSeconds:0} s after sending stopped");
            if (_closedByServer > 0) result.Warnings.Add($"{_closedByServer} sockets were closed by the server during the run");
            if (flows.Any(f => f.Broken)) result.Warnings.Add("a sender's socket broke during the run");
            return result;
        }
        finally
        {
            _finished = true;
            await PairPool.DisposeAllAsync(pairs);
        }
    }

    private async Task<CpuUsage> WindowAsync(List<RelayFlow> flows, double seconds)
    {
        var cpu = CpuWindow.Start(_context.Target.Pid, _context.Target.OtherPids);
        Volatile.Write(ref _windowStart, Stamp.Now);
        var started = Stopwatch.GetTimestamp();
        using (_context.Progress.Show($"{_context.Target.Name} {(_open ? OpenName : ClosedName)}", () =>
               {
                   var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
                   var received = flows.Sum(f => f.ReceivedInWindow);
                   return $"{elapsed:0}/{seconds:0} s  {received:N0} received  {received / Math.Max(elapsed, 0.001):N0}/s  " +
                          $"p50 {_latency.Summarize().P50Us:N0} µs  closed {_closedByServer}";
               }))
            await Task.Delay(TimeSpan.FromSeconds(seconds), _context.Cancel);
        Volatile.Write(ref _windowEnd, Stamp.Now);
        return cpu.Stop();
    }

    /// <summary>Waits until every sent message has arrived (or the drain timeout); true if all did.</summary>
    private async Task<bool> DrainAsync(List<RelayFlow> flows)
    {
        var until = Stopwatch.GetTimestamp() + (long)(DrainTimeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < until)
        {
            if (flows.All(f => f.Broken || f.Seen.Distinct >= f.NextSeq)) return true;
            await Task.Delay(50);
        }
        return false;
    }

    private async Task ReceiveLoopAsync(RelayFlow incoming)
    {
        var connection = incoming.Receiver;
        try
        {
            while (await connection.ReceiveAsync())
            {
                var now = Stamp.Now;
                if (!Stamp.TryRead(connection.Frame, out var seq, out var sent, out _))
                {
                    // After the run, closing one end tells the other (peer.left): expected then.
                    if (!_finished && Interlocked.Increment(ref _unexpected) == 1)
                        _firstUnexpected = Encoding.UTF8.GetString(connection.Frame[..Math.Min(200, connection.Frame.Length)]);
                    continue;
                }
                incoming.Seen.Saw(seq);
                if (now >= Volatile.Read(ref _windowStart) && now < Volatile.Read(ref _windowEnd))
                {
                    incoming.ReceivedInWindow++;
                    _latency.Record(now - sent);
                }
                // Closed loop: this receipt frees a slot of the window; the next message goes out on the partner's socket.
                if (!_open && _sending) await incoming.SendNextAsync();
            }
            if (!_finished) Interlocked.Increment(ref _closedByServer);
        }
        catch (Exception e) when (WsConnection.IsDisconnect(e))
        {
            if (!_finished) Interlocked.Increment(ref _closedByServer);
        }
    }
}
