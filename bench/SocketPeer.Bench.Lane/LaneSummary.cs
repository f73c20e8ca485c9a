using SocketPeer.Bench.Micro;

namespace SocketPeer.Bench.Lane;

/// <summary>Medians of each path and the lane's cost over the direct Tell, from interleaved repeats.</summary>
public sealed record LaneSummary(double LaneMicros, double DirectMicros, double LaneBytes, double DirectBytes)
{
    /// <summary>What the lane adds to a message, in µs of CPU.</summary>
    public double AddedMicros => LaneMicros - DirectMicros;

    public static LaneSummary Of(IReadOnlyCollection<MessageCost> results) => new(
        Medians.Of(results, LaneCost.Lane, c => c.CpuMicrosPerMessage),
        Medians.Of(results, LaneCost.Direct, c => c.CpuMicrosPerMessage),
        Medians.Of(results, LaneCost.Lane, c => c.BytesPerMessage),
        Medians.Of(results, LaneCost.Direct, c => c.BytesPerMessage));

    public override string ToString() =>
        $"median: lane {LaneMicros:F3} µs CPU/msg ({LaneBytes:F0} B), direct Tell {DirectMicros:F3} µs ({DirectBytes:F0} B): the lane adds {AddedMicros:F3} µs per message";
}
