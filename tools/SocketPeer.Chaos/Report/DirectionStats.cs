namespace SocketPeer.Chaos.Report;

/// <summary>
/// The application-level verdict on one direction of one pair: each number sent must arrive exactly
/// once, in the order sent. Pure arithmetic over the logs, so it is unit-tested with made-up inputs.
/// </summary>
public sealed record DirectionStats(long Sent, long Delivered, long Lost, long Duplicated, long OutOfOrder, long Unexpected)
{
    public static readonly DirectionStats Zero = new(0, 0, 0, 0, 0, 0);

    /// <param name="sends">What the sender made (each number once).</param>
    /// <param name="arrivals">What the receiver got, in arrival order.</param>
    public static DirectionStats Of(IReadOnlyList<Sent> sends, IReadOnlyList<Arrival> arrivals)
    {
        var sent = new HashSet<long>(sends.Select(s => s.Number));
        var seen = new HashSet<long>();
        long duplicated = 0, outOfOrder = 0, unexpected = 0, highest = long.MinValue;
        foreach (var arrival in arrivals)
        {
            if (!seen.Add(arrival.Number))
            {
                duplicated++;
                continue;
            }
            if (!sent.Contains(arrival.Number)) unexpected++;
            // Late: a higher number was already delivered (a gap that filled later, not a repeat).
            if (arrival.Number < highest) outOfOrder++;
            else highest = arrival.Number;
        }
        var delivered = seen.Count(sent.Contains);
        return new DirectionStats(sent.Count, delivered, sent.Count - delivered, duplicated, outOfOrder, unexpected);
    }

    /// <summary>The numbers sent and never delivered, as ranges ("31-53, 60"), and when the first and last of them were sent.</summary>
    public static string LostRanges(IReadOnlyList<Sent> sends, IReadOnlyList<Arrival> arrivals)
    {
        var arrived = new HashSet<long>(arrivals.Select(a => a.Number));
        var lost = sends.Where(s => !arrived.Contains(s.Number)).OrderBy(s => s.Number).ToList();
        if (lost.Count == 0) return "";
        var ranges = new List<string>();
        var start = lost[0].Number;
        var previous = start;
        foreach (var n in lost.Skip(1).Select(s => s.Number).Append(long.MaxValue))
        {
            if (n == previous + 1)
            {
                previous = n;
                continue;
            }
            ranges.Add(start == previous ? $"{start}" : $"{start}-{previous}");
            start = previous = n;
        }
        return string.Join(", ", ranges) + System.FormattableString.Invariant($" (sent {lost[0].SentAtMs / 1000:0.00}-{lost[^1].SentAtMs / 1000:0.00} s)");
    }

    public static DirectionStats operator +(DirectionStats a, DirectionStats b) => new(
        a.Sent + b.Sent, a.Delivered + b.Delivered, a.Lost + b.Lost, a.Duplicated + b.Duplicated,
        a.OutOfOrder + b.OutOfOrder, a.Unexpected + b.Unexpected);

    public bool Perfect => Lost == 0 && Duplicated == 0 && OutOfOrder == 0 && Unexpected == 0;
}
