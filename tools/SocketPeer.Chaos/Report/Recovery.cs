namespace SocketPeer.Chaos.Report;

/// <summary>
/// How long after a fault a pair relays again: for each direction, the first arrival of a message
/// sent at or after the fault; the pair has recovered when both directions have one. A pair with a
/// direction that never gets one before the end is lost.
/// </summary>
public static class Recovery
{
    /// <returns>Milliseconds from <paramref name="faultAtMs"/> to the pair relaying both ways, or null if it never did.</returns>
    public static double? OfPair(double faultAtMs, IReadOnlyList<Arrival> aToB, IReadOnlyList<Arrival> bToA)
    {
        var first = OfDirection(faultAtMs, aToB);
        var second = OfDirection(faultAtMs, bToA);
        return first is null || second is null ? null : Math.Max(first.Value, second.Value);
    }

    public static double? OfDirection(double faultAtMs, IReadOnlyList<Arrival> arrivals)
    {
        double? earliest = null;
        foreach (var a in arrivals)
            if (a.SentAtMs >= faultAtMs && (earliest is null || a.ReceivedAtMs < earliest)) earliest = a.ReceivedAtMs;
        return earliest - faultAtMs;
    }

    /// <summary>The <paramref name="q"/> quantile (0..1) by nearest rank; null when empty.</summary>
    public static double? Quantile(IReadOnlyList<double> values, double q)
    {
        if (values.Count == 0) return null;
        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(q * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }
}
