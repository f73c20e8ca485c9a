using SocketPeer.Bench.Micro;

namespace SocketPeer.Bench.Session;

/// <summary>Medians of each mode (and, for the machine alone, the least-disturbed repeat's CPU), from interleaved repeats.</summary>
public sealed record SessionSummary(double PlainMicros, double AckedMicros, double PlainBytes, double AckedBytes,
    double PlainFastestMicros, double AckedFastestMicros, double ActorMicros = double.NaN, double ActorBytes = double.NaN)
{
    public static SessionSummary Of(IReadOnlyCollection<MessageCost> results) => new(
        Medians.Of(results, SessionCost.Plain, c => c.CpuMicrosPerMessage),
        Medians.Of(results, SessionCost.Acked, c => c.CpuMicrosPerMessage),
        Medians.Of(results, SessionCost.Plain, c => c.BytesPerMessage),
        Medians.Of(results, SessionCost.Acked, c => c.BytesPerMessage),
        Medians.Fastest(results, SessionCost.Plain),
        Medians.Fastest(results, SessionCost.Acked),
        Medians.Of(results, ActorRelayCost.Mode, c => c.CpuMicrosPerMessage),
        Medians.Of(results, ActorRelayCost.Mode, c => c.BytesPerMessage));

    public override string ToString() =>
        $"median: plain {PlainMicros:F3} µs CPU/msg ({PlainBytes:F0} B, fastest {PlainFastestMicros:F3} µs), " +
        $"acked {AckedMicros:F3} µs ({AckedBytes:F0} B, fastest {AckedFastestMicros:F3} µs), " +
        $"actor {ActorMicros:F3} µs ({ActorBytes:F0} B)";
}
