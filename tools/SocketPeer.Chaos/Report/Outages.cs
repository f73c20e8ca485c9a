using SocketPeer.Chaos.Client;

namespace SocketPeer.Chaos.Report;

/// <summary>What a pair went through during a run, as the report reads it (both clients' events merged).</summary>
public sealed record PairTimeline(int Pair, ClientKind Kind, IReadOnlyList<double> Drops, IReadOnlyList<double> BusyAt,
    IReadOnlyList<Arrival> AToB, IReadOnlyList<Arrival> BToA);

/// <summary>
/// One pair through one fault: whether the fault touched it, how long until it relayed both ways
/// again (null: never), and how many <c>busy</c> answers its clients got meanwhile.
/// </summary>
public sealed record FaultOutcome(int Pair, ClientKind Kind, bool Touched, double? Ms, int Busy)
{
    /// <summary>A socket of either client dropped after the fault (within its window).</summary>
    public bool Dropped { get; init; }
}

/// <summary>Per pair and fault: touched or not, the outage, the busy answers. Pure, so unit-tested.</summary>
public static class Outages
{
    /// <param name="windowMs">how long after the fault its effects are looked for (until the next fault).</param>
    /// <param name="stalledMs">an untouched pair whose relay paused longer than this was touched after all.</param>
    /// <param name="effectFromMs">
    /// when the fault's effects may begin, if before its instant: a kill -9 resets its clients'
    /// sockets at the signal, a little before the harness has reaped the process (the instant).
    /// </param>
    public static FaultOutcome Of(double faultAtMs, double windowMs, double stalledMs, PairTimeline pair, double? effectFromMs = null)
    {
        var from = Math.Min(effectFromMs ?? faultAtMs, faultAtMs);
        var until = faultAtMs + windowMs;
        var drop = Recovery.LastDrop(from, until - from, pair.Drops);
        var ms = Recovery.OfPair(faultAtMs, drop ?? faultAtMs, pair.AToB, pair.BToA);
        // Sockets that all survived still count when the relay stalled (a session lost with the
        // node while both sockets lived), and a pair that never relays again was touched whatever happened.
        var touched = drop is not null || ms is null || ms > stalledMs;
        var busy = pair.BusyAt.Count(t => t >= from && t <= until);
        return new FaultOutcome(pair.Pair, pair.Kind, touched, ms, busy) { Dropped = drop is not null };
    }
}
