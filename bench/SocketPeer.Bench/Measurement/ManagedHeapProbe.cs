using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace SocketPeer.Bench.Measurement;

/// <summary>
/// Forces a full GC in another .NET process and reads its managed heap size, over the runtime's
/// diagnostics port (what dotnet-gcdump does to start its walk), so the servers expose nothing new.
/// </summary>
public static class ManagedHeapProbe
{
    private const long GcKeyword = 0x1;
    private const long GcHeapCollectKeyword = 0x800000; // asking for it makes the runtime run an induced GC

    /// <returns>Bytes in all generations (and the pinned heap) after the induced GC, or null if it could not be read.</returns>
    public static async Task<long?> CollectAndMeasureAsync(int pid, TimeSpan timeout)
    {
        var heap = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var client = new DiagnosticsClient(pid);
        using var session = client.StartEventPipeSession(
            new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, GcKeyword | GcHeapCollectKeyword),
            requestRundown: false);
        var reader = Task.Run(() =>
        {
            using var source = new EventPipeEventSource(session.EventStream);
            var induced = false;
            source.Clr.GCStart += e => induced |= e.Reason == GCReason.Induced;
            source.Clr.GCHeapStats += e =>
            {
                if (!induced) return; // a GC that was already under way
                heap.TrySetResult(e.GenerationSize0 + e.GenerationSize1 + e.GenerationSize2 + e.GenerationSize3 + e.GenerationSize4);
            };
            source.Process();
        });
        try
        {
            return await heap.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            return null;
        }
        finally
        {
            try { await session.StopAsync(CancellationToken.None); } catch (Exception e) when (e is ServerNotAvailableException or IOException or TimeoutException) { }
            await Task.WhenAny(reader, Task.Delay(TimeSpan.FromSeconds(5)));
        }
    }
}
