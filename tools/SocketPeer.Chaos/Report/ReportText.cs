using System.Globalization;
using System.Text;
using SocketPeer.Chaos.Client;

namespace SocketPeer.Chaos.Report;

/// <summary>The report as a terminal reads it.</summary>
public static class ReportText
{
    public static string Render(ChaosReport r)
    {
        var s = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        s.AppendLine(inv, $"SocketPeer chaos: fault {r.Settings.Fault}, {r.Settings.Nodes} nodes, {r.Pairs} pairs ({r.Settings.Clients.Name()} clients{(r.Settings.Layout == PairLayout.Split ? "" : $", {r.Settings.Layout.Name()}")}), {r.Settings.Rate} msg/s per client{(r.Settings.CpuBurners > 0 ? $", {r.Settings.CpuBurners} busy loops" : "")}, {r.DurationSeconds:0.0} s");
        s.AppendLine(inv, $"machine: {r.Cores} cores, load average {r.LoadAtStart} at the start, {r.LoadAtEnd} at the end");
        if (r.Settings.IsUpgrade)
            s.AppendLine(inv, $"upgrade: nodes started on {r.Settings.UpgradeFromCommit ?? "an earlier build"} ({r.Settings.UpgradeFrom}), the rollout restarted each on this build ({r.GitCommit ?? "commit unknown"})");
        s.AppendLine(inv, $"server resume: {(r.ServerHasResume ? "yes" : "NO (unknown-type): clients fell back to pairing again")}");
        if (r.Error is not null) s.AppendLine(inv, $"RUN FAILED: {r.Error}");
        s.AppendLine("events:");
        foreach (var e in r.Events)
        {
            s.Append(inv, $"  {e.AtMs / 1000,7:0.00} s  {e.What}");
            if (e.StopMs is { } stop) s.Append(inv, $"; stopped in {stop / 1000:0.00} s");
            if (e.Outcome is { } outcome) s.Append(inv, $" ({outcome})");
            if (e.ReadyMs is { } ready) s.Append(inv, $"; ready again in {ready / 1000:0.00} s");
            if (e.RecoveryMaxMs is { } max) s.Append(inv, $"; pairs relaying again: p50 {e.RecoveryP50Ms / 1000:0.00} s, max {max / 1000:0.00} s");
            if (e.PairsNotRecovered is > 0) s.Append(inv, $", {e.PairsNotRecovered} never");
            if (e.Busy is > 0) s.Append(inv, $"; busy ×{e.Busy} ({e.BusyToTouched} to touched pairs)");
            s.AppendLine();
        }
        var m = r.Messages;
        s.AppendLine(inv, $"messages (both directions): sent {m.Sent}, delivered {m.Delivered}, lost {m.Lost}, duplicated {m.Duplicated}, out of order {m.OutOfOrder}, unexpected {m.Unexpected}");
        if (r.StuckPairMessages is { } st)
            s.AppendLine(inv, $"stuck pairs (no promise): sent {st.Sent}, delivered {st.Delivered}, lost {st.Lost}, duplicated {st.Duplicated}, out of order {st.OutOfOrder}");
        foreach (var v in r.Imperfect.Take(10))
            s.AppendLine(inv, $"  pair {v.Pair} {v.Direction}: lost {v.Stats.Lost}, duplicated {v.Stats.Duplicated}, out of order {v.Stats.OutOfOrder}{(v.Lost.Length > 0 ? "; lost " + v.Lost : "")}");
        if (r.Imperfect.Count > 10) s.AppendLine(inv, $"  … {r.Imperfect.Count - 10} more directions");
        s.AppendLine(inv, $"pairs lost: {r.PairsLost.Count}{(r.PairsLost.Count > 0 ? " (" + string.Join(", ", r.PairsLost.Take(20)) + (r.PairsLost.Count > 20 ? ", …" : "") + ")" : "")}");
        if (r.Recovery is { } rec)
            s.AppendLine(inv, $"fault to relaying again: p50 {Seconds(rec.P50Ms)}, p99 {Seconds(rec.P99Ms)}, max {Seconds(rec.MaxMs)} over {rec.Samples} disrupted pair-faults ({r.PairsDisconnected} with a dropped socket), {rec.NotRecovered} never");
        if (r.ByKind.Count > 1 || r.ByKind.Any(k => k.Kind == ClientKind.Original))
            foreach (var k in r.ByKind) KindLines(s, k);
        if (r.Latency is { } lat)
            s.AppendLine(inv, $"relay latency: p50 {lat.P50Ms:0.0} ms, p99 {lat.P99Ms:0.0} ms, max {lat.MaxMs:0.0} ms");
        var c = r.Clients;
        s.AppendLine(inv, $"clients: connects {c.Connects} (failed {c.ConnectFailures}), peer.found {c.PeerFound}, peer.left {c.PeerLeft}, resume {c.ResumeAttempts} (resumed {c.Resumed}, failed {c.ResumeFailed}, unanswered {c.ResumeUnanswered}), re-sent {c.Resent}, abandoned {c.Abandoned}");
        if (c.Closes.Count > 0) s.AppendLine("  closes: " + string.Join(", ", c.Closes.Select(kv => $"{kv.Key} ×{kv.Value}")));
        if (c.ResumedStates.Count > 0) s.AppendLine("  resumed as: " + string.Join(", ", c.ResumedStates.Select(kv => $"{kv.Key} ×{kv.Value}")));
        if (c.ServerErrors.Count > 0) s.AppendLine("  server.error: " + string.Join(", ", c.ServerErrors.Select(kv => $"{kv.Key} ×{kv.Value}")));
        s.AppendLine("nodes:");
        foreach (var n in r.Nodes) s.AppendLine(inv, $"  {n.Node} pid {n.Pid} started {n.StartedAtMs / 1000:0.00} s{(r.Settings.IsUpgrade ? $" on {n.Build}" : "")}: {n.Outcome}");
        s.AppendLine("promises:");
        foreach (var p in r.Promises) s.AppendLine(inv, $"  [{(p.Held ? "held" : "BROKEN")}] {p.Name}: {p.Detail}");
        if (r.NodeLogs is not null) s.AppendLine(inv, $"node logs: {r.NodeLogs}");
        return s.ToString();
    }

    /// <summary>One kind of client's own figures: for original clients lost messages are the outages' cost, not a broken promise.</summary>
    private static void KindLines(StringBuilder s, KindFigures k)
    {
        var inv = CultureInfo.InvariantCulture;
        var m = k.Messages;
        var kind = k.Kind == ClientKind.Original ? "original" : "resume";
        s.AppendLine(inv, $"{kind} clients ({k.Pairs} pairs): sent {m.Sent}, delivered {m.Delivered}, lost {m.Lost}{(k.Kind == ClientKind.Original ? " (in outages: no promise)" : "")}, duplicated {m.Duplicated}, out of order {m.OutOfOrder}");
        s.AppendLine(inv, $"  touched pair-faults {k.TouchedPairs}: fault to relaying again p50 {Seconds(k.OutageP50Ms)}, p99 {Seconds(k.OutageP99Ms)}, max {Seconds(k.OutageMaxMs)}; pairs lost {k.PairsLost.Count}");
        s.AppendLine(inv, $"  busy ×{k.Busy} ({k.BusyToTouched} to touched pairs), peer.found {k.PeerFound}, peer.left {k.PeerLeft}");
        if (k.Ignored.Count > 0) s.AppendLine("  ignored: " + string.Join(", ", k.Ignored.Select(kv => $"{kv.Key} ×{kv.Value}")));
        foreach (var o in k.Outages.Where(o => o.Ms is null).Take(5))
            s.AppendLine(inv, $"  pair {o.Pair} never back: {o.Clients}");
    }

    private static string Seconds(double? ms) => ms is { } v ? (v / 1000).ToString("0.00 s", CultureInfo.InvariantCulture) : "-";
}
