using SocketPeer.Chaos.Client;
using SocketPeer.Chaos.Faults;

namespace SocketPeer.Chaos.Report;

/// <summary>
/// What the design promises under each fault (docs/architecture.md section 5, docs/chaos.md), checked against a
/// filled report. A promise is never softened to fit a run: a broken one fails the run.
/// </summary>
public static class Promises
{
    public static List<Promise> Check(ChaosReport r, IReadOnlyList<ChaosPair> pairs)
    {
        var fault = r.Settings.Fault;
        var list = new List<Promise>();
        var normalPeers = pairs.Where(p => !p.Stuck).SelectMany(p => p.Peers).ToList();
        var resume = r.ByKind.FirstOrDefault(k => k.Kind == ClientKind.Resume);
        // Without resume pairs (original only, and not stuck-consumer's) nothing below applies to anyone.
        if (resume is not null || fault == FaultKind.StuckConsumer)
            AddResumePromises(r, pairs, list, resume ?? new KindFigures { Kind = ClientKind.Resume }, r.ByKind.Count > 1 ? "resume clients: " : "");
        if (r.ByKind.FirstOrDefault(k => k.Kind == ClientKind.Original) is { } original)
            AddOriginalPromises(r, list, original);

        if (fault is FaultKind.Sigterm or FaultKind.Rolling)
        {
            var stops = r.Events.Where(e => e.What.StartsWith("SIGTERM", StringComparison.Ordinal)).ToList();
            var clean = stops.Count(e => e.Outcome == "exit 0");
            list.Add(new Promise("graceful stops exit 0 before the kubelet's SIGKILL", clean == stops.Count,
                $"{clean} of {stops.Count}: " + string.Join(", ", stops.Select(e => $"node-{e.Node} {e.Outcome} in {e.StopMs / 1000:0.0} s"))));
            // A stopping node tells its clients why (docs/architecture.md section 5): 1012, so they resume elsewhere.
            // Anything else (a bare 1000, a reset) means the node let go of sockets it should have closed.
            // An original client closes its own socket after busy: that is no node's doing.
            var closes = normalPeers.SelectMany(p => p.Counters.Closes).Where(kv => kv.Key != OriginalPeer.ClosedAfterBusy)
                .GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.Sum(kv => kv.Value));
            var other = closes.Where(kv => kv.Key != "1012").Sum(kv => kv.Value);
            list.Add(new Promise("stopping nodes close their sockets with 1012", other == 0,
                closes.Count == 0 ? "no socket closed" : string.Join(", ", closes.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key} ×{kv.Value}"))));
        }
        if (r.Settings.IsUpgrade)
        {
            // The rollout is the upgrade: it is done when the last process of every node runs this build.
            var last = r.Nodes.GroupBy(n => n.Node).Select(g => g.MaxBy(n => n.StartedAtMs)!).OrderBy(n => n.Node, StringComparer.Ordinal).ToList();
            var upgraded = last.Count(n => n.Build == "current");
            var started = r.Nodes.Where(n => n.Build != "current").Select(n => n.Node).Distinct().Count();
            list.Add(new Promise("the rollout brings every node from the earlier build onto this one",
                upgraded == r.Settings.Nodes && started == r.Settings.Nodes,
                $"{started} of {r.Settings.Nodes} started on the earlier build, {upgraded} run this build at the end ({string.Join(", ", last.Select(n => $"{n.Node} {n.Build}"))})"));
        }
        if (fault == FaultKind.StuckConsumer)
        {
            var stuck = pairs.Where(p => p.Stuck).ToList();
            var closed = stuck.Count(p => p.B.CloseHistory.Contains("4000"));
            list.Add(new Promise("stuck clients are closed with 4000", closed == stuck.Count,
                $"{closed} of {stuck.Count} saw 4000 ({string.Join("; ", stuck.Select(p => $"pair {p.Id}: {string.Join(",", p.B.CloseHistory)}"))})"));
            var others = normalPeers.Sum(p => p.Counters.Closes.Values.Sum());
            list.Add(new Promise("nobody else is disconnected", others == 0, $"{others} sockets of other pairs closed"));
        }
        return list;
    }

    /// <summary>
    /// Resume (client re-send + sender-side replay) makes delivery exactly-once and in order through
    /// every fault of a node, graceful or not, and through a partition once the cut-off node is
    /// downed and its clients resume on the majority; and the pairing holds throughout.
    /// </summary>
    private static void AddResumePromises(ChaosReport r, IReadOnlyList<ChaosPair> pairs, List<Promise> list, KindFigures resume, string prefix)
    {
        var m = resume.Messages;
        var scope = r.Settings.Fault == FaultKind.StuckConsumer ? "every pair without a stuck client" : "every pair";
        if (prefix.Length > 0) scope += " of resume clients";
        list.Add(new Promise(prefix + "no message lost", m.Lost == 0, $"{scope}: {m.Lost} of {m.Sent} never arrived"));
        list.Add(new Promise(prefix + "no message duplicated", m.Duplicated == 0, $"{scope}: {m.Duplicated} arrived twice or more"));
        list.Add(new Promise(prefix + "no message out of order", m.OutOfOrder == 0, $"{scope}: {m.OutOfOrder} arrived after a later one"));
        list.Add(new Promise(prefix + "nothing unexpected", m.Unexpected == 0, $"{m.Unexpected} messages nobody sent"));
        var lost = resume.PairsLost.Count;
        list.Add(new Promise(prefix + "no pair lost", lost == 0,
            lost == 0 ? $"{scope} relayed again after each fault" : $"{lost} pairs never relayed again after a fault"));

        // The pairing holds: nobody hears peer.left, nobody pairs a second time.
        var peers = pairs.Where(p => !p.Stuck && p.Kind == ClientKind.Resume).SelectMany(p => p.Peers).ToList();
        var left = peers.Sum(p => p.Counters.PeerLeft);
        var found = peers.Sum(p => p.Counters.PeerFound);
        list.Add(new Promise(prefix + "pairings hold", left == 0 && found == peers.Count,
            $"peer.left heard {left} times, peer.found {found} times for {peers.Count} clients (one each expected)"));
    }

    /// <summary>
    /// The original client cannot keep messages or its session, so its promises are about the pair
    /// coming back: every pair a fault touched relays both ways again, soon, and its clients are
    /// never told <c>busy</c> (a dead session holding their seat), which would push the original's
    /// back-off to 2, 4, 8 … s. Messages lost meanwhile are reported, not promised.
    /// </summary>
    private static void AddOriginalPromises(ChaosReport r, List<Promise> list, KindFigures original)
    {
        const string prefix = "original clients: ";
        var lost = original.PairsLost;
        list.Add(new Promise(prefix + "no pair lost", lost.Count == 0,
            lost.Count == 0 ? $"every touched pair relayed again ({original.TouchedPairs} pair-faults)"
                : $"{lost.Count} touched pairs never relayed again ({Ids(lost)})"));
        list.Add(new Promise(prefix + "no busy to touched pairs", original.BusyToTouched == 0,
            $"{original.BusyToTouched} busy answers to clients of touched pairs ({original.Busy} to original clients in all)"));
        var boundMs = r.Settings.OriginalBoundSeconds * 1000;
        var slow = original.Outages.Where(o => o.Ms is null || o.Ms > boundMs).Select(o => o.Pair).Distinct().Order().ToList();
        list.Add(new Promise(FormattableString.Invariant($"{prefix}touched pairs relay again within {r.Settings.OriginalBoundSeconds:0.##} s"), slow.Count == 0,
            FormattableString.Invariant($"{slow.Count} of {original.TouchedPairs} pair-faults not back in time") +
            (slow.Count > 0 ? $" ({Ids(slow)})" : "") +
            FormattableString.Invariant($"; p50 {original.OutageP50Ms / 1000:0.00} s, p99 {original.OutageP99Ms / 1000:0.00} s, max {original.OutageMaxMs / 1000:0.00} s")));
    }

    private static string Ids(IReadOnlyList<int> pairs) =>
        "pairs " + string.Join(", ", pairs.Take(20)) + (pairs.Count > 20 ? ", …" : "");
}
