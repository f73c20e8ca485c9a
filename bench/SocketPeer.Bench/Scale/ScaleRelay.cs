using System.Diagnostics;
using SocketPeer.Bench.Cli;
using SocketPeer.Bench.Measurement;
using SocketPeer.Bench.Reporting;

namespace SocketPeer.Bench.Scale;

/// <summary>
/// One open-loop relay window driven by worker processes: each relays on its share of the pairs at its
/// share of the total rate, all on one schedule (raw Stopwatch ticks, the same clock in every process),
/// while this process reads the server's CPU over the same window. The workers' histograms are merged,
/// so the percentiles are those of every message.
/// </summary>
public static class ScaleRelay
{
    private static readonly TimeSpan ReplyMargin = TimeSpan.FromSeconds(60);

    public static async Task<RelayOutcome> RunAsync(IReadOnlyList<(WorkerProcess Worker, int Pairs)> shares, BenchSettings settings,
        int serverPid, CancellationToken cancel)
    {
        var total = shares.Sum(s => s.Pairs);
        var frequency = Stopwatch.Frequency;
        // Far enough ahead that every worker has its flows ready before the first slot (a smoke run
        // shares a loaded box, where a worker can take seconds to answer).
        var start = Stopwatch.GetTimestamp() + (long)((settings.Smoke ? 2 : 1) * frequency);
        var windowStart = start + (long)(settings.WarmupSeconds * frequency);
        var windowEnd = windowStart + (long)(settings.Seconds * frequency);
        var timeout = TimeSpan.FromSeconds(settings.WarmupSeconds + settings.Seconds + 1) + ReplyMargin;
        var replies = shares.Where(s => s.Pairs > 0).Select(s => s.Worker.AskAsync<RelayReply>(
            new RelaySchedule(s.Pairs, settings.Rate * s.Pairs / total, settings.Size, start, windowStart, windowEnd).Command, timeout, cancel)).ToList();

        await DelayUntilAsync(windowStart, cancel);
        var cpu = CpuWindow.Start(serverPid);
        await DelayUntilAsync(windowEnd, cancel);
        var usage = cpu.Stop();
        var all = await Task.WhenAll(replies);

        var latency = new LatencyHistogram();
        foreach (var reply in all) latency.Merge(reply.Latency);
        return new RelayOutcome(usage, all.Sum(r => r.Received), all.Sum(r => r.Sent), all.Sum(r => r.Lost), all.Sum(r => r.Duplicated),
            all.Sum(r => r.OutOfOrder), all.All(r => r.Drained), all.Any(r => r.Broken), latency.Summarize());
    }

    private static async Task DelayUntilAsync(long timestamp, CancellationToken cancel)
    {
        var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), timestamp);
        if (wait > TimeSpan.Zero) await Task.Delay(wait, cancel);
    }
}

/// <summary>What one relay window measured, over every worker.</summary>
public sealed record RelayOutcome(CpuUsage Usage, long Received, long Sent, long Lost, long Duplicated, long OutOfOrder,
    bool Drained, bool Broken, LatencySummary Latency)
{
    /// <summary>Into <paramref name="result"/>: rate, the server's CPU, latency and loss.</summary>
    public void ApplyTo(ScenarioResult result)
    {
        result.Account(Usage, Received);
        // The client workers are processes of their own: their CPU shows as "other processes" here.
        result.Warnings.RemoveAll(w => w.StartsWith("other processes", StringComparison.Ordinal) || w.StartsWith("the client used", StringComparison.Ordinal));
        result.Latency = Latency;
        result.Sent = Sent;
        result.Lost = Lost;
        result.Duplicated = Duplicated;
        result.OutOfOrder = OutOfOrder;
        if (!Drained) result.Warnings.Add("in-flight relay messages had not all arrived 10 s after sending stopped");
        if (Broken) result.Warnings.Add("a relaying socket broke during the window");
    }
}
