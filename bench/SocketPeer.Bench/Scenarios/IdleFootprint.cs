using SocketPeer.Bench.Measurement;
using SocketPeer.Bench.Reporting;
using SocketPeer.Bench.Servers;

namespace SocketPeer.Bench.Scenarios;

/// <summary>
/// Memory per idle socket on a freshly started server: a small warm-up (so first-use allocations are
/// not counted), then RSS and — for .NET servers — the managed heap after an induced full GC, before
/// and after N paired sockets sit idle. Per socket = growth / (2 × N). With <c>--idle-seconds</c>, then
/// the server's own CPU while those sockets sit idle (keep-alive pings, token refreshes, timers):
/// the same window against the raw relay says what the sockets' periodic work costs beyond Kestrel's.
/// </summary>
public static class IdleFootprint
{
    public const string Name = "idle";
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(30);

    public static async Task<ScenarioResult> RunAsync(ScenarioContext context, string variant, int repeat)
    {
        var result = context.NewResult(Name, variant, repeat);
        result.OperationUnit = "socket";
        if (context.Target.Pid is not { } pid)
        {
            result.Unsupported = "no server process to measure (give --server-pid)";
            return result;
        }

        var warmup = await PairPool.ConnectAsync(context, 20, context.Tag + "w");
        await PairPool.DisposeAllAsync(warmup.Pairs);
        await context.PrepareWindowAsync(result);
        var (heapBefore, rssBefore) = await CollectAsync(context, pid);
        var threadsBefore = ProcFs.ThreadCount(pid);

        var pairsWanted = context.Settings.IdlePairs;
        var done = 0;
        (List<Client.PeerPair> Pairs, int Failed, string? FirstError) idle;
        using (context.Progress.Show($"{context.Target.Name} {Name} {variant}", () => $"{Volatile.Read(ref done):N0}/{pairsWanted:N0} pairs"))
            idle = await PairPool.ConnectAsync(context, pairsWanted, context.Tag, paired: () => Interlocked.Increment(ref done));
        // Every idle socket reads, as a browser's does: a pending read is what answers the server's
        // keep-alive pings. Unanswered, SocketPeer (KeepAliveTimeout) closed each socket 50 s after its
        // connect, inside the windows below, and the closing was what they measured.
        var closedByServer = 0;
        var answering = idle.Pairs.SelectMany(p => new[] { p.A, p.B })
            .Select(c => AnswerPingsAsync(c, () => Interlocked.Increment(ref closedByServer))).ToList();
        try
        {
            if (idle.Failed > 0) result.Warnings.Add($"{idle.Failed} pairs failed: {idle.FirstError}");
            // Let the server finish what the connects started (passivation, buffers returned) before reading.
            await QuietWait.UntilServerIdleAsync(pid, TimeSpan.FromSeconds(context.Settings.Smoke ? 2 : 20), context.Cancel);
            await Task.Delay(TimeSpan.FromSeconds(context.Settings.Smoke ? 0.5 : 2), context.Cancel);
            var rssBeforeGc = ProcFs.RssKb(pid);
            var (heapAfter, rssAfter) = await CollectAsync(context, pid);
            var sockets = idle.Pairs.Count * 2;
            result.Operations = sockets;
            result.Memory = new MemoryFootprint(sockets, rssBefore, rssBeforeGc, rssAfter, heapBefore, heapAfter,
                threadsBefore, ProcFs.ThreadCount(pid));
            if (heapAfter is null && context.Target.Kind != TargetKind.External)
                result.Warnings.Add("the managed heap could not be read");
            if (context.Settings.IdleCpuSeconds > 0)
                result.IdleCpu = await IdleCpuAsync(context, pid, sockets);
            if (Volatile.Read(ref closedByServer) is > 0 and var closed)
            {
                result.ClosedByServer = closed;
                result.Warnings.Add($"the server closed {closed} idle sockets during the run");
            }
        }
        finally
        {
            await PairPool.DisposeAllAsync(idle.Pairs);
            await Task.WhenAll(answering);
        }
        return result;
    }

    /// <summary>Reads (and drops) whatever comes until the socket ends; <paramref name="closed"/> when the server ended it.</summary>
    private static async Task AnswerPingsAsync(Client.WsConnection connection, Action closed)
    {
        await Task.Yield();
        try
        {
            while (await connection.ReceiveAsync()) { }
            closed();
        }
        catch (Exception e) when (Client.WsConnection.IsDisconnect(e))
        {
            // Ours: the run ended and disposed the socket (or the server dropped it without a close).
        }
    }

    /// <summary>The server's CPU over <c>--idle-seconds</c> once the collection above has settled; this client sends nothing.</summary>
    private static async Task<IdleCpu> IdleCpuAsync(ScenarioContext context, int pid, int sockets)
    {
        await QuietWait.UntilServerIdleAsync(pid, TimeSpan.FromSeconds(10), context.Cancel);
        var window = CpuWindow.Start(pid);
        using (context.Progress.Show($"{context.Target.Name} {Name} idle CPU", () => ""))
            await Task.Delay(TimeSpan.FromSeconds(context.Settings.IdleCpuSeconds), context.Cancel);
        var usage = window.Stop();
        return new IdleCpu(sockets, Math.Round(usage.Seconds, 1), Math.Round(usage.ServerCores ?? 0, 4),
            Math.Round(usage.MachineBusyCores, 2), ProcFs.LoadAverage());
    }

    /// <summary>Induces a full collection and returns (heap bytes, RSS KiB) right after it.</summary>
    private static async Task<(long? Heap, long RssKb)> CollectAsync(ScenarioContext context, int pid)
    {
        long? heap;
        if (context.Target.Kind == TargetKind.PeerJs)
            heap = (await context.Target.Process!.NodeCollectAsync(ProbeTimeout))?.HeapBytes;
        else
            heap = await ManagedHeapProbe.CollectAndMeasureAsync(pid, ProbeTimeout);
        // Give the GC's decommit a moment, so RSS reflects the collection.
        await Task.Delay(TimeSpan.FromSeconds(context.Settings.Smoke ? 0.3 : 1), context.Cancel);
        return (heap, ProcFs.RssKb(pid));
    }
}
