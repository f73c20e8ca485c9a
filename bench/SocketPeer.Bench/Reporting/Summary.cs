namespace SocketPeer.Bench.Reporting;

/// <summary>
/// One figure for one server over the repeats: the median with its spread, and the value of the
/// least-disturbed run (the one in which other processes used the least CPU).
/// </summary>
public sealed record SummaryValue(string Metric, string Target, double Median, double Min, double Max, int Runs,
    double LeastDisturbed, double LeastDisturbedOtherCores)
{
    /// <summary>Half the range as a share of the median: the noise between repeated runs.</summary>
    public double SpreadPercent => Median == 0 ? 0 : Math.Round((Max - Min) / 2 / Math.Abs(Median) * 100, 1);
}

/// <summary>Ours ÷ a baseline for one figure (medians), and whether issue 7's target holds; also for the least-disturbed runs.</summary>
public sealed record Ratio(string Metric, string Baseline, double Value, double? Target, bool? Met, double LeastDisturbedValue);

public static class Summarizer
{
    public const string Ours = "socketpeer";

    public static (List<SummaryValue> Values, List<Ratio> Ratios) Summarize(IReadOnlyList<ScenarioResult> results)
    {
        var values = new List<SummaryValue>();
        var ratios = new List<Ratio>();
        foreach (var metric in Metric.For(results))
        {
            var byTarget = results.Where(r => r.Failed is null && r.Unsupported is null && metric.Matches(r))
                .GroupBy(r => r.Target)
                .Select(g => (Target: g.Key, Runs: g.Where(r => metric.Read(r) is not null).ToList()))
                .Where(g => g.Runs.Count > 0)
                .ToDictionary(g => g.Target, g =>
                {
                    var sorted = g.Runs.Select(r => metric.Read(r)!.Value).Order().ToList();
                    var quietest = g.Runs.MinBy(r => r.OtherCores ?? 0)!;
                    return new SummaryValue(metric.Label, g.Target, Median(sorted), sorted[0], sorted[^1], sorted.Count,
                        metric.Read(quietest)!.Value, quietest.OtherCores ?? 0);
                });
            values.AddRange(byTarget.Values);
            var ours = byTarget.GetValueOrDefault(Ours) ?? byTarget.GetValueOrDefault("external");
            if (ours is null) continue;
            foreach (var baseline in byTarget.Values.Where(v => v != ours))
            {
                if (baseline.Median == 0) continue;
                var ratio = Math.Round(ours.Median / baseline.Median, 2);
                var target = baseline.Target == "raw" ? metric.TargetRatio : null;
                var quiet = baseline.LeastDisturbed == 0 ? 0 : Math.Round(ours.LeastDisturbed / baseline.LeastDisturbed, 2);
                ratios.Add(new Ratio(metric.Label, baseline.Target, ratio, target, target is { } t ? ratio <= t : null, quiet));
            }
        }
        return (values, ratios);
    }

    private static double Median(List<double> sorted) => sorted.Count % 2 == 1
        ? sorted[sorted.Count / 2]
        : Math.Round((sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2, 2);
}
