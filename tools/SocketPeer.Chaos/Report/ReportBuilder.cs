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
                if (!stats.Perfect) report.Imperfect.Add(new DirectionVerdict(pair.Id, log.Direction, stats, DirectionStats.LostRanges(log.Sends, arrivals)));
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
        var affectedPairs = 0;
        // Slower than three sending periods (and a second) is a stall, not the next message's wait.
        var stalledMs = Math.Max(1000, 3000 / report.Settings.Rate);
        for (var f = 0; f < faults.Count; f++)
        {
            var fault = faults[f];
            // A drop belongs to this fault if it comes before the next one (and within a minute).
            var window = Math.Min(60_000, f + 1 < faults.Count ? faults[f + 1].AtMs - fault.AtMs : double.MaxValue);
            var times = new List<double>();
            var unaffected = new List<double>();
            var notRecovered = 0;
            foreach (var pair in pairs)
            {
                var drop = Recovery.LastDrop(fault.AtMs, window, pair.A.Drops.Concat(pair.B.Drops));
                if (Recovery.OfPair(fault.AtMs, drop ?? fault.AtMs, pair.AToB.Arrivals, pair.BToA.Arrivals) is { } ms)
                    (drop is null ? unaffected : times).Add(ms);
                else
                {
                    notRecovered++;
                    lost.Add(pair.Id);
                }
            }
            affectedPairs += times.Count;
            // Pairs whose sockets all survived still count when their relay stalled (a session lost
            // with the node while both sockets lived): those are the slow ones among them.
            times.AddRange(unaffected.Where(ms => ms > stalledMs));
            fault.RecoveryMaxMs = times.Count > 0 ? times.Max() : null;
            fault.RecoveryP50Ms = Recovery.Quantile(times, 0.5);
            fault.PairsNotRecovered = notRecovered;
            all.AddRange(times);
            never += notRecovered;
        }
        report.PairsLost = [.. lost];
        report.PairsDisconnected = affectedPairs;
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
        ResumeUnanswered = c.ResumeUnanswered,
        Resent = c.Resent,
        Abandoned = c.Abandoned,
        ProtocolDuplicates = c.ProtocolDuplicates,
        ServerErrors = new SortedDictionary<string, int>(c.ServerErrors),
        ResumedStates = new SortedDictionary<string, int>(c.ResumedStates),
        Closes = new SortedDictionary<string, int>(c.Closes),
    };
}
