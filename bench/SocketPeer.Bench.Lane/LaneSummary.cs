namespace SocketPeer.Bench.Lane;

/// <summary>Medians of each path and the lane's cost over the direct Tell, from interleaved repeats.</summary>
public sealed record LaneSummary(double LaneMicros, double DirectMicros, double LaneBytes, double DirectBytes)
{
    /// <summary>What the lane adds to a message, in µs of CPU.</summary>
    public double AddedMicros => LaneMicros - DirectMicros;

    public static LaneSummary Of(IReadOnlyCollection<PathCost> results) => new(
        Median(results, "lane", c => c.CpuMicrosPerMessage),
        Median(results, "direct", c => c.CpuMicrosPerMessage),
        Median(results, "lane", c => c.BytesPerMessage),
        Median(results, "direct", c => c.BytesPerMessage));

    private static double Median(IEnumerable<PathCost> results, string path, Func<PathCost, double> figure)
    {
        var values = results.Where(c => c.Path == path).Select(figure).Order().ToArray();
        if (values.Length == 0) return double.NaN;
        var mid = values.Length / 2;
        return values.Length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }

    public override string ToString() =>
        $"median: lane {LaneMicros:F3} µs CPU/msg ({LaneBytes:F0} B), direct Tell {DirectMicros:F3} µs ({DirectBytes:F0} B): the lane adds {AddedMicros:F3} µs per message";
}
