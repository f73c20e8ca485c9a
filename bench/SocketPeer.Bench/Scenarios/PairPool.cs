using System.Diagnostics;
using SocketPeer.Bench.Client;
using SocketPeer.Bench.Measurement;

namespace SocketPeer.Bench.Scenarios;

/// <summary>Connects and pairs many pairs with a bounded number in flight.</summary>
public static class PairPool
{
    /// <param name="latency">If given, each pairing's time from its first connect to both ends paired.</param>
    /// <returns>The pairs made (in index order) and the number that failed.</returns>
    public static async Task<(List<PeerPair> Pairs, int Failed, string? FirstError)> ConnectAsync(ScenarioContext context,
        int count, string tag, LatencyHistogram? latency = null, Action? paired = null)
    {
        var pairs = new PeerPair?[count];
        var next = -1;
        var failed = 0;
        string? firstError = null;
        var workers = Enumerable.Range(0, Math.Min(context.Settings.Concurrency, count)).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count && !context.Cancel.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    pairs[i] = await context.Target.Wire.ConnectPairAsync(context.Target.Endpoint, tag, i, context.Cancel);
                    latency?.Record(Stopwatch.GetTimestamp() - started);
                    paired?.Invoke();
                }
                catch (Exception e) when (e is BenchException || WsConnection.IsDisconnect(e))
                {
                    Interlocked.Increment(ref failed);
                    Interlocked.CompareExchange(ref firstError, e.Message, null);
                }
            }
        });
        await Task.WhenAll(workers);
        return (pairs.OfType<PeerPair>().ToList(), failed, firstError);
    }

    public static async Task DisposeAllAsync(IEnumerable<PeerPair> pairs)
    {
        foreach (var pair in pairs) await pair.DisposeAsync();
    }
}
