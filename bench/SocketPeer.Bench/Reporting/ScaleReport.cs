using System.Globalization;
using SocketPeer.Bench.Scenarios;

namespace SocketPeer.Bench.Reporting;

/// <summary>
/// The scale scenario's verdicts (issue 18's goals) and its projection to 100,000 sockets on one node,
/// worked out from the medians of SocketPeer's measured sizes and shown with their arithmetic, so a
/// reader can check every step. Lines of text: printed under the table and kept in the results JSON.
/// </summary>
public static class ScaleReport
{
    public const int ProjectedSockets = 100_000;
    public const int ActorGoalSessions = 100_000;
    private const double FlatWithin = 0.10;
    private const double RelayP99Within = 1.5;
    private const double ActorP99GoalUs = 10_000;
    /// <summary>The smallest size the flatness goal starts from.</summary>
    private const int FlatFrom = 2500;

    public static List<string> Lines(IReadOnlyList<ScenarioResult> results, string target = Summarizer.Ours)
    {
        var lines = new List<string>();
        var sizes = results.Where(r => r.Target == target && r.Scenario == ScaleScenario.Name && r.Scale is not null && r.Failed is null)
            .GroupBy(r => r.Variant!)
            .Select(g => new Size(g.Key, g.ToList()))
            .OrderBy(s => s.Sockets).ToList();
        var actors = results.Where(r => r.Scenario == ActorLayerScenario.Name && r.ActorLayer is not null && r.Failed is null).ToList();
        if (sizes.Count == 0 && actors.Count == 0) return lines;

        lines.Add($"Goals ({target}, medians over repeats):");
        var measured = sizes.Where(s => s.Label != ScaleScenario.EmptyLabel && s.Sockets >= FlatFrom).ToList();
        if (measured.Count >= 2)
        {
            foreach (var (name, read) in new (string, Func<ScenarioResult, double?>)[]
                     {
                         ("RSS KB/socket", r => r.Memory?.RssPerSocketKb),
                         ("heap KB/socket", r => r.Memory?.HeapPerSocketKb),
                         ("idle CPU µs/s per socket", r => r.Scale?.IdleCpuUsPerSocketSecond),
                     })
            {
                var values = measured.Select(s => (s.Label, Value: s.Median(read))).Where(v => v.Value is not null).ToList();
                if (values.Count < 2) continue;
                var low = values.Min(v => v.Value!.Value);
                var high = values.Max(v => v.Value!.Value);
                var head = $"- {name} flat within {FlatWithin * 100:0}% from {F(measured[0].Sockets)} to {F(measured[^1].Sockets)} sockets: " +
                           string.Join(", ", values.Select(v => $"{v.Label} {F(v.Value)}"));
                // Growth over the socket-less server can come out at or below zero when the sockets cost less than the noise.
                lines.Add(low > 0
                    ? $"{head}; (max − min) / min = {((high - low) / low * 100).ToString("0.0", CultureInfo.InvariantCulture)}%: {Verdict((high - low) / low <= FlatWithin)}"
                    : $"{head}; not all above zero (within the noise of the server with no socket): no verdict");
            }
        }
        else lines.Add($"- flatness: needs two sizes of at least {F(FlatFrom)} sockets (measured: {string.Join(", ", sizes.Select(s => $"{s.Label} = {F(s.Sockets)}"))})");

        var empty = sizes.FirstOrDefault(s => s.Label == ScaleScenario.EmptyLabel);
        var largest = sizes.LastOrDefault(s => s.Label != ScaleScenario.EmptyLabel);
        if (empty?.Median(r => r.Latency?.P99Us) is { } emptyP99 && largest?.Median(r => r.Latency?.P99Us) is { } largestP99 && emptyP99 > 0)
            lines.Add($"- relay p99 at {F(largest.Sockets)} sockets ≤ {RelayP99Within}× the empty server's: {F(largestP99)} µs / {F(emptyP99)} µs = " +
                      $"{largestP99 / emptyP99:0.00}×: {Verdict(largestP99 / emptyP99 <= RelayP99Within)}");
        if (actors.Count > 0)
        {
            var sessions = Median(actors.Select(r => (double)r.ActorLayer!.Sessions));
            var p99 = Median(actors.Select(r => r.Latency?.P99Us ?? double.NaN));
            lines.Add($"- actor layer relay p99 ≤ {F(ActorP99GoalUs / 1000)} ms at {F(ActorGoalSessions)} sessions: {F(p99)} µs at {F(sessions)} sessions: " +
                      (sessions < ActorGoalSessions ? "not measured at the goal's size" : Verdict(p99 <= ActorP99GoalUs)));
        }

        if (largest is not null) lines.AddRange(Projection(largest, actors));
        return lines;
    }

    /// <summary>Linear in sockets from the largest size measured: base + N × per socket, for memory, idle CPU and descriptors.</summary>
    private static IEnumerable<string> Projection(Size largest, List<ScenarioResult> actors)
    {
        const int n = ProjectedSockets;
        yield return "";
        yield return $"Projection to {F(n)} sockets on one node, from the {F(largest.Sockets)}-socket size (medians):";
        if (largest.Median(r => r.Memory?.RssBeforeKb) is { } rssBase && largest.Median(r => r.Memory?.RssPerSocketKb) is { } rssPer)
            yield return $"- RSS: {F(rssBase / 1024)} MB with no socket + {F(n)} × {F(rssPer)} KB = {F((rssBase + n * rssPer) / 1024)} MB";
        if (largest.Median(r => r.Memory?.HeapBeforeBytes) is { } heapBase && largest.Median(r => r.Memory?.HeapPerSocketKb) is { } heapPer)
            yield return $"- managed heap after a full GC: {F(heapBase / 1048576)} MB + {F(n)} × {F(heapPer)} KB = {F((heapBase / 1024 + n * heapPer) / 1024)} MB";
        if (actors.Count > 0 && Median(actors.Select(r => r.ActorLayer!.HeapPerSessionKb ?? double.NaN)) is var perSession and not double.NaN
            && Median(actors.Select(r => r.ActorLayer!.HeapPerRoomKb ?? double.NaN)) is var perRoom and not double.NaN)
            yield return $"  of which the actor layer (measured alone): {F(n)} sessions × {F(perSession)} KB + {F(n / 2)} rooms × {F(perRoom)} KB = " +
                         $"{F((n * perSession + n / 2 * perRoom) / 1024)} MB";
        if (largest.Median(r => r.Scale?.BaseIdleServerCores) is { } idleBase && largest.Median(r => r.Scale?.IdleCpuUsPerSocketSecond) is { } idlePer)
        {
            if (idlePer > 0)
                yield return $"- idle CPU: {F(idleBase)} cores with no socket + {F(n)} × {F(idlePer)} µs/s = {F(idleBase + n * idlePer / 1e6)} cores";
            else if (largest.Median(r => r.Scale?.IdleServerCores) is { } idleAll)
                // The sockets' share was lost in the noise of the socket-less server: charge them all of it instead.
                yield return $"- idle CPU: the growth over the server with no socket was not above its noise ({F(idlePer)} µs/s per socket); " +
                             $"counting all of it as the sockets': {F(idleAll)} cores × {F(n)} / {F(largest.Sockets)} = {F(idleAll * n / largest.Sockets)} cores at most";
        }
        if (largest.Median(r => r.Scale is { } s ? s.ServerDescriptors - s.Sockets : null) is { } otherFds)
            yield return $"- descriptors: {F(n)} sockets + {F(otherFds)} others = {F(n + otherFds)}: the node's open-file limit must be above that " +
                         $"(this box's is {largest.Runs[0].Scale!.DescriptorLimit?.ToString("N0", CultureInfo.InvariantCulture) ?? "unlimited"})";
        yield return "  Assumes: cost grows linearly with sockets (what the flatness goal checks over the sizes measured); idle paired sockets " +
                     "(keep-alive pings only; relay costs CPU per message on top, see relay-closed); the same GC settings and one node; " +
                     "kernel socket buffers are not in the process's RSS and are not counted.";
    }

    private static string Verdict(bool met) => met ? "met" : "**missed**";

    private static string F(double? value) => value switch
    {
        null => "?",
        var v when Math.Abs(v.Value) >= 100 => v.Value.ToString("N0", CultureInfo.InvariantCulture),
        var v => v.Value.ToString("0.###", CultureInfo.InvariantCulture),
    };

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToList();
        if (sorted.Count == 0) return double.NaN;
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>One size's results over the repeats.</summary>
    private sealed record Size(string Label, List<ScenarioResult> Runs)
    {
        public double Sockets => ScaleReport.Median(Runs.Select(r => (double)r.Scale!.Sockets));

        public double? Median(Func<ScenarioResult, double?> read) =>
            ScaleReport.Median(Runs.Select(r => read(r) ?? double.NaN)) is var m && double.IsNaN(m) ? null : m;
    }
}
