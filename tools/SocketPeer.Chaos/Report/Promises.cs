using SocketPeer.Chaos.Client;
using SocketPeer.Chaos.Faults;

namespace SocketPeer.Chaos.Report;

/// <summary>
/// What the design promises under each fault (DESIGN.md section 5, docs/chaos.md), checked against a
/// filled report. A promise is never softened to fit a run: a broken one fails the run.
/// </summary>
public static class Promises
{
    public static List<Promise> Check(ChaosReport r, IReadOnlyList<ChaosPair> pairs)
    {
        var fault = r.Settings.Fault;
        var list = new List<Promise>();
        var m = r.Messages;
        var scope = fault == FaultKind.StuckConsumer ? "every pair without a stuck client" : "every pair";

        // Resume (client re-send + sender-side replay) makes delivery exactly-once and in order
        // through every fault of a node, graceful or not, and through a partition once the cut-off
        // node is downed and its clients resume on the majority.
        list.Add(new Promise("no message lost", m.Lost == 0, $"{scope}: {m.Lost} of {m.Sent} never arrived"));
        list.Add(new Promise("no message duplicated", m.Duplicated == 0, $"{scope}: {m.Duplicated} arrived twice or more"));
        list.Add(new Promise("no message out of order", m.OutOfOrder == 0, $"{scope}: {m.OutOfOrder} arrived after a later one"));
        list.Add(new Promise("nothing unexpected", m.Unexpected == 0, $"{m.Unexpected} messages nobody sent"));
        list.Add(new Promise("no pair lost", r.PairsLost.Count == 0,
            r.PairsLost.Count == 0 ? $"{scope} relayed again after each fault" : $"{r.PairsLost.Count} pairs never relayed again after a fault"));

        // The pairing holds: nobody hears peer.left, nobody pairs a second time.
        var normalPeers = pairs.Where(p => !p.Stuck).SelectMany(p => p.Peers).ToList();
        var left = normalPeers.Sum(p => p.Counters.PeerLeft);
        var found = normalPeers.Sum(p => p.Counters.PeerFound);
        list.Add(new Promise("pairings hold", left == 0 && found == normalPeers.Count,
            $"peer.left heard {left} times, peer.found {found} times for {normalPeers.Count} clients (one each expected)"));

        if (fault is FaultKind.Sigterm or FaultKind.Rolling)
        {
            var stops = r.Events.Where(e => e.What.StartsWith("SIGTERM", StringComparison.Ordinal)).ToList();
            var clean = stops.Count(e => e.Outcome == "exit 0");
            list.Add(new Promise("graceful stops exit 0 before the kubelet's SIGKILL", clean == stops.Count,
                $"{clean} of {stops.Count}: " + string.Join(", ", stops.Select(e => $"node-{e.Node} {e.Outcome} in {e.StopMs / 1000:0.0} s"))));
            // A stopping node tells its clients why (DESIGN.md section 5): 1012, so they resume elsewhere.
            // Anything else (a bare 1000, a reset) means the node let go of sockets it should have closed.
            var closes = normalPeers.SelectMany(p => p.Counters.Closes).GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.Sum(kv => kv.Value));
            var other = closes.Where(kv => kv.Key != "1012").Sum(kv => kv.Value);
            list.Add(new Promise("stopping nodes close their sockets with 1012", other == 0,
                closes.Count == 0 ? "no socket closed" : string.Join(", ", closes.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key} ×{kv.Value}"))));
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
}
