namespace SocketPeer.Bench.Session;

/// <summary>Medians of each mode (and, for the machine alone, the least-disturbed repeat's CPU), from interleaved repeats.</summary>
public sealed record SessionSummary(double PlainMicros, double AckedMicros, double PlainBytes, double AckedBytes,
    double PlainFastestMicros, double AckedFastestMicros, double ActorMicros = double.NaN, double ActorBytes = double.NaN)
{
    public static SessionSummary Of(IReadOnlyCollection<RelayCost> results) => new(
        Median(results, "plain", c => c.CpuMicrosPerMessage),
        Median(results, "acked", c => c.CpuMicrosPerMessage),
        Median(results, "plain", c => c.BytesPerMessage),
        Median(results, "acked", c => c.BytesPerMessage),
        Fastest(results, "plain"),
        Fastest(results, "acked"),
        Median(results, "actor", c => c.CpuMicrosPerMessage),
        Median(results, "actor", c => c.BytesPerMessage));

    private static double Median(IEnumerable<RelayCost> results, string mode, Func<RelayCost, double> figure)
    {
        var values = results.Where(c => c.Mode == mode).Select(figure).Order().ToArray();
        if (values.Length == 0) return double.NaN;
        var mid = values.Length / 2;
        return values.Length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }

    private static double Fastest(IEnumerable<RelayCost> results, string mode) =>
        results.Where(c => c.Mode == mode).Select(c => c.CpuMicrosPerMessage).DefaultIfEmpty(double.NaN).Min();

    public override string ToString() =>
        $"median: plain {PlainMicros:F3} µs CPU/msg ({PlainBytes:F0} B, fastest {PlainFastestMicros:F3} µs), " +
        $"acked {AckedMicros:F3} µs ({AckedBytes:F0} B, fastest {AckedFastestMicros:F3} µs), " +
        $"actor {ActorMicros:F3} µs ({ActorBytes:F0} B)";
}
