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
                if (!stats.Perfect) report.Imperfect.Add(new DirectionVerdict(pair.Id, log.Direction, stats));
                foreach (var a in arrivals) latencies.Add(a.ReceivedAtMs - a.SentAtMs);
            }
        }
        report.Messages = normal;
        report.StuckPairMessages = stuck;
        if (latencies.Count > 0)
            report.Latency = new LatencyFigures(Recovery.Quantile(latencies, 0.5)!.Value, Recovery.Quantile(latencies, 0.99)!.Value,
                latencies.Max(), latencies.Count);
        FillRecovery(report, pairs.Where(p => !p.Stuck).ToList(), events.Where(e => e.Disruptive).ToList());
        var clients = new PeerCounters();
        foreach (var peer in pairs.SelectMany(p => p.Peers)) clients.Add(peer.Counters);
        report.Clients = Figures(clients);
        report.ServerHasResume = clients.ResumeUnsupported == 0;
    }

    private static void FillRecovery(ChaosReport report, IReadOnlyList<ChaosPair> pairs, IReadOnlyList<FaultEvent> faults)
    {
        var all = new List<double>();
        var lost = new SortedSet<int>();
        var never = 0;
        foreach (var fault in faults)
        {
            var times = new List<double>();
            var notRecovered = 0;
            foreach (var pair in pairs)
            {
                if (Recovery.OfPair(fault.AtMs, pair.AToB.Arrivals, pair.BToA.Arrivals) is { } ms) times.Add(ms);
                else
                {
                    notRecovered++;
                    lost.Add(pair.Id);
                }
            }
            fault.RecoveryMaxMs = times.Count > 0 ? times.Max() : null;
            fault.RecoveryP50Ms = Recovery.Quantile(times, 0.5);
            fault.PairsNotRecovered = notRecovered;
            all.AddRange(times);
            never += notRecovered;
        }
        report.PairsLost = [.. lost];
        if (faults.Count > 0)
            report.Recovery = new RecoveryFigures(all.Count > 0 ? all.Max() : null, Recovery.Quantile(all, 0.5), all.Count, never);
    }

    private static ClientFigures Figures(PeerCounters c) => new()
    {
        Connects = c.Connects,
        ConnectFailures = c.ConnectFailures,
        PeerFound = c.PeerFound,
        PeerLeft = c.PeerLeft,
        ResumeAttempts = c.ResumeAttempts,
        Resumed = c.Resumed,
        ResumeFailed = c.ResumeFailed,
        Resent = c.Resent,
        Abandoned = c.Abandoned,
        ProtocolDuplicates = c.ProtocolDuplicates,
        ServerErrors = new SortedDictionary<string, int>(c.ServerErrors),
        Closes = new SortedDictionary<string, int>(c.Closes),
    };
}
