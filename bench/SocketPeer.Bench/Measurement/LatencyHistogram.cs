using System.Diagnostics;
using System.Numerics;

namespace SocketPeer.Bench.Measurement;

/// <summary>
/// A log-linear histogram of latencies in <see cref="Stopwatch"/> ticks: 64 linear buckets per power of
/// two (about 1.6 % resolution), recorded with one interlocked increment, shared by all receive loops.
/// </summary>
public sealed class LatencyHistogram
{
    private const int SubBits = 6;
    private const int Sub = 1 << SubBits;
    private readonly long[] _counts = new long[64 * Sub];
    private long _max;

    public void Record(long ticks)
    {
        if (ticks < 0) ticks = 0;
        Interlocked.Increment(ref _counts[Index(ticks)]);
        long seen;
        while (ticks > (seen = Volatile.Read(ref _max)) && Interlocked.CompareExchange(ref _max, ticks, seen) != seen) { }
    }

    public long Count => _counts.Sum();

    /// <summary>
    /// The non-empty buckets and the maximum, to carry a histogram from one process to another
    /// (the scale scenario's client workers) and <see cref="Merge"/> it there: percentiles of the
    /// merged counts are exact where averaging each worker's percentiles would not be.
    /// </summary>
    public HistogramCounts Export()
    {
        var buckets = new List<long[]>();
        for (var i = 0; i < _counts.Length; i++)
            if (Volatile.Read(ref _counts[i]) is var c and > 0) buckets.Add([i, c]);
        return new HistogramCounts(buckets, Volatile.Read(ref _max));
    }

    /// <summary>Adds the counts of another histogram (<see cref="Export"/>).</summary>
    public void Merge(HistogramCounts other)
    {
        foreach (var bucket in other.Buckets)
            if (bucket is [var index, var count] && index >= 0 && index < _counts.Length)
                Interlocked.Add(ref _counts[index], count);
        long seen;
        while (other.MaxTicks > (seen = Volatile.Read(ref _max)) && Interlocked.CompareExchange(ref _max, other.MaxTicks, seen) != seen) { }
    }

    public LatencySummary Summarize() => new(
        Count, Micros(Percentile(0.50)), Micros(Percentile(0.90)), Micros(Percentile(0.99)),
        Micros(Percentile(0.999)), Micros(_max));

    /// <summary>Values below 64 map to themselves; above, 64 buckets per power of two.</summary>
    private static int Index(long v)
    {
        if (v < Sub) return (int)v;
        var bits = 63 - BitOperations.LeadingZeroCount((ulong)v); // at least SubBits
        var shift = bits - SubBits;
        return ((bits - SubBits + 1) << SubBits) + (int)((v >> shift) - Sub);
    }

    /// <summary>The middle of a bucket.</summary>
    private static long Value(int index)
    {
        if (index < Sub) return index;
        var shift = (index >> SubBits) - 1;
        var lower = (long)(Sub + (index & (Sub - 1))) << shift;
        return lower + ((1L << shift) >> 1);
    }

    private long Percentile(double q)
    {
        var total = Count;
        if (total == 0) return 0;
        var rank = (long)Math.Ceiling(q * total);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank) return Math.Min(Value(i), _max);
        }
        return _max;
    }

    private static double Micros(long ticks) => Math.Round(ticks * 1e6 / Stopwatch.Frequency, 1);
}

/// <summary>A histogram's non-empty buckets as [index, count] and its maximum (Stopwatch ticks).</summary>
public sealed record HistogramCounts(List<long[]> Buckets, long MaxTicks);

/// <summary>Latency percentiles in microseconds.</summary>
public sealed record LatencySummary(long Count, double P50Us, double P90Us, double P99Us, double P999Us, double MaxUs);
