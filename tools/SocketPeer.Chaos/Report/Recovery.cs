namespace SocketPeer.Chaos.Report;

/// <summary>
/// How long after a fault a pair relays again: for each direction, the first arrival of a message
/// sent at or after the fault; the pair has recovered when both directions have one. A pair with a
/// direction that never gets one before the end is lost.
/// </summary>
public static class Recovery
{
    /// <summary>
    /// Milliseconds from <paramref name="faultAtMs"/> to the pair relaying both ways again, or null
    /// if it never did. <paramref name="sentAfterMs"/> is when the pair's last disruption began (a
    /// socket of either client dropping after the fault; the fault itself if none did): only a
    /// message sent after it shows the channel works again, not one the dying node still relayed.
    /// </summary>
    public static double? OfPair(double faultAtMs, double sentAfterMs, IReadOnlyList<Arrival> aToB, IReadOnlyList<Arrival> bToA)
    {
        var first = FirstArrival(sentAfterMs, aToB);
        var second = FirstArrival(sentAfterMs, bToA);
        return first is null || second is null ? null : Math.Max(first.Value, second.Value) - faultAtMs;
    }

    /// <summary>When the first message sent at or after <paramref name="sentAfterMs"/> arrived.</summary>
    public static double? FirstArrival(double sentAfterMs, IReadOnlyList<Arrival> arrivals)
    {
        double? earliest = null;
        foreach (var a in arrivals)
            if (a.SentAtMs >= sentAfterMs && (earliest is null || a.ReceivedAtMs < earliest)) earliest = a.ReceivedAtMs;
        return earliest;
    }

    /// <summary>
    /// The last socket drop of either client within <paramref name="windowMs"/> after the fault, or
    /// null when neither client lost its socket (the pair was not disconnected by this fault).
    /// </summary>
    public static double? LastDrop(double faultAtMs, double windowMs, IEnumerable<double> drops)
    {
        double? last = null;
        foreach (var d in drops)
            if (d >= faultAtMs && d <= faultAtMs + windowMs && (last is null || d > last)) last = d;
        return last;
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
