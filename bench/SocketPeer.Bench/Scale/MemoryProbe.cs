using SocketPeer.Bench.Measurement;

namespace SocketPeer.Bench.Scale;

/// <summary>A process's managed heap after an induced full GC, and its RSS right after (as the idle scenario reads them).</summary>
public static class MemoryProbe
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(60);

    public static async Task<(long? HeapBytes, long RssKb)> CollectAsync(int pid, bool smoke, CancellationToken cancel)
    {
        var heap = await ManagedHeapProbe.CollectAndMeasureAsync(pid, ProbeTimeout);
        // Give the GC's decommit a moment, so RSS reflects the collection.
        await Task.Delay(TimeSpan.FromSeconds(smoke ? 0.3 : 1), cancel);
        return (heap, ProcFs.RssKb(pid));
    }
}
