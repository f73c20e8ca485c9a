using SocketPeer.Chaos.Client;

namespace SocketPeer.Chaos.Report;

/// <summary>Turns the pairs' logs and the fault's events into the report's figures.</summary>
public static class ReportBuilder
{
    public static void Fill(ChaosReport report, IReadOnlyList<ChaosPair> pairs, IReadOnlyList<FaultEvent> events)
    {
        report.Pairs = pairs.Count;
        report.Events.AddRange(events);
        var normal = DirectionStats.Zero;
        DirectionStats? stuck = null;
        var latencies = new List<double>();
        var byKind = pairs.Where(p => !p.Stuck).Select(p => p.Kind).Distinct().Order()
            .ToDictionary(k => k, k => new KindFigures { Kind = k });
        foreach (var pair in pairs)
        {
            foreach (var log in new[] { pair.AToB, pair.BToA })
            {
                var arrivals = log.Arrivals;
                var stats = DirectionStats.Of(log.Sends, arrivals);
                if (pair.Stuck)
                {
                    stuck = (stuck ?? DirectionStats.Zero) + stats;
                    continue;
                }
                normal += stats;
                byKind[pair.Kind].Messages += stats;
                if (!stats.Perfect) report.Imperfect.Add(new DirectionVerdict(pair.Id, log.Direction, stats, DirectionStats.LostRanges(log.Sends, arrivals)));
                foreach (var a in arrivals) latencies.Add(a.ReceivedAtMs - a.SentAtMs);
            }
        }
        report.Messages = normal;
        report.StuckPairMessages = stuck;
        if (latencies.Count > 0)
            report.Latency = new LatencyFigures(Recovery.Quantile(latencies, 0.5)!.Value, Recovery.Quantile(latencies, 0.99)!.Value,
                latencies.Max(), latencies.Count);
        var normalPairs = pairs.Where(p => !p.Stuck).ToList();
        FillRecovery(report, normalPairs, events.Where(e => e.Disruptive).ToList(), byKind);
        foreach (var (kind, figures) in byKind)
        {
            var kindPairs = normalPairs.Where(p => p.Kind == kind).ToList();
            var counters = new PeerCounters();
            foreach (var peer in kindPairs.SelectMany(p => p.Peers)) counters.Add(peer.Counters);
            figures.Pairs = kindPairs.Count;
            figures.Busy = kindPairs.SelectMany(p => p.Peers).Sum(c => c.BusyAt.Count);
            figures.PeerFound = counters.PeerFound;
            figures.PeerLeft = counters.PeerLeft;
            figures.Ignored = new SortedDictionary<string, int>(counters.Ignored);
        }
        report.ByKind = [.. byKind.Values];
        var clients = new PeerCounters();
        foreach (var peer in pairs.SelectMany(p => p.Peers)) clients.Add(peer.Counters);
        report.Clients = Figures(clients);
        report.ServerHasResume = clients.ResumeUnsupported == 0;
    }

    private static void FillRecovery(ChaosReport report, IReadOnlyList<ChaosPair> pairs, IReadOnlyList<FaultEvent> faults,
        Dictionary<ClientKind, KindFigures> byKind)
    {
        var all = new List<double>();
        var lost = new SortedSet<int>();
        var never = 0;
        var disconnected = 0;
        var outages = new List<(FaultOutcome Outcome, int Fault)>();
        // Slower than three sending periods (and a second) is a stall, not the next message's wait.
        var stalledMs = Math.Max(1000, 3000 / report.Settings.Rate);
        var timelines = pairs.Select(Timeline).ToList();
        for (var f = 0; f < faults.Count; f++)
        {
            var fault = faults[f];
            // A drop belongs to this fault if it comes before the next one (and within a minute).
            var window = Math.Min(60_000, f + 1 < faults.Count ? faults[f + 1].AtMs - fault.AtMs : double.MaxValue);
            var outcomes = timelines.Select(t => Outages.Of(fault.AtMs, window, stalledMs, t, fault.EffectFromMs)).ToList();
            var touched = outcomes.Where(o => o.Touched).ToList();
            var times = touched.Where(o => o.Ms is not null).Select(o => o.Ms!.Value).ToList();
            var notRecovered = touched.Count(o => o.Ms is null);
            foreach (var o in touched.Where(o => o.Ms is null)) lost.Add(o.Pair);
            disconnected += touched.Count(o => o.Dropped && o.Ms is not null);
            fault.RecoveryMaxMs = times.Count > 0 ? times.Max() : null;
            fault.RecoveryP50Ms = Recovery.Quantile(times, 0.5);
            fault.RecoveryP99Ms = Recovery.Quantile(times, 0.99);
            fault.PairsNotRecovered = notRecovered;
            fault.PairsTouched = touched.Count;
            fault.Busy = outcomes.Sum(o => o.Busy);
            fault.BusyToTouched = touched.Sum(o => o.Busy);
            all.AddRange(times);
            never += notRecovered;
            outages.AddRange(touched.Select(o => (o, f)));
        }
        report.PairsLost = [.. lost];
        report.PairsDisconnected = disconnected;
        if (faults.Count > 0)
            report.Recovery = new RecoveryFigures(all.Count > 0 ? all.Max() : null, Recovery.Quantile(all, 0.5), all.Count, never)
            {
                P99Ms = Recovery.Quantile(all, 0.99),
            };
        foreach (var (kind, figures) in byKind)
        {
            var mine = outages.Where(o => o.Outcome.Kind == kind).ToList();
            var ms = mine.Where(o => o.Outcome.Ms is not null).Select(o => o.Outcome.Ms!.Value).ToList();
            figures.TouchedPairs = mine.Count;
            figures.OutageP50Ms = Recovery.Quantile(ms, 0.5);
            figures.OutageP99Ms = Recovery.Quantile(ms, 0.99);
            figures.OutageMaxMs = ms.Count > 0 ? ms.Max() : null;
            figures.PairsLost = [.. mine.Where(o => o.Outcome.Ms is null).Select(o => o.Outcome.Pair).Distinct().Order()];
            figures.BusyToTouched = mine.Sum(o => o.Outcome.Busy);
            figures.Outages = [.. mine.Select(o => new PairOutage(o.Outcome.Pair, o.Fault, o.Outcome.Ms, o.Outcome.Busy)
            {
                Clients = ClientsNote(pairs.First(p => p.Id == o.Outcome.Pair)),
            })];
        }
    }

    private static string ClientsNote(ChaosPair pair) => $"a {ClientNote(pair.A)}; b {ClientNote(pair.B)}";

    private static string ClientNote(IChaosClient c)
    {
        var k = c.Counters;
        var notPaired = k.Ignored.GetValueOrDefault("server.error not-paired") + k.ServerErrors.GetValueOrDefault("not-paired");
        return $"connects {k.Connects}, peer.found {k.PeerFound}, peer.left {k.PeerLeft}, busy {c.BusyAt.Count}, not-paired {notPaired}";
    }

    private static PairTimeline Timeline(ChaosPair pair) => new(pair.Id, pair.Kind,
        [.. pair.A.Drops, .. pair.B.Drops], [.. pair.A.BusyAt, .. pair.B.BusyAt], pair.AToB.Arrivals, pair.BToA.Arrivals);

    private static ClientFigures Figures(PeerCounters c) => new()
    {
        Connects = c.Connects,
        ConnectFailures = c.ConnectFailures,
        PeerFound = c.PeerFound,
        PeerLeft = c.PeerLeft,
        ResumeAttempts = c.ResumeAttempts,
        Resumed = c.Resumed,
        ResumeFailed = c.ResumeFailed,
        ResumeUnanswered = c.ResumeUnanswered,
        Resent = c.Resent,
        Abandoned = c.Abandoned,
        ProtocolDuplicates = c.ProtocolDuplicates,
        ServerErrors = new SortedDictionary<string, int>(c.ServerErrors),
        Ignored = new SortedDictionary<string, int>(c.Ignored),
        ResumedStates = new SortedDictionary<string, int>(c.ResumedStates),
        Closes = new SortedDictionary<string, int>(c.Closes),
    };
}
