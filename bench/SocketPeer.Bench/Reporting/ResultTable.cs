using System.Globalization;
using System.Text;

namespace SocketPeer.Bench.Reporting;

/// <summary>The run as Markdown tables: medians per server with their spread, ratios, targets, warnings.</summary>
public static class ResultTable
{
    public static string Render(RunReport report)
    {
        var text = new StringBuilder();
        var targets = report.Summary.Select(v => v.Target).Distinct()
            .OrderBy(t => t switch { "socketpeer" => 0, "external" => 0, "raw" => 1, _ => 2 }).ToList();
        var baselines = targets.Skip(1).ToList();
        var runs = report.Settings.Repeat;
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Median of {runs} run{(runs == 1 ? "" : "s")} (± half the range, as % of the median); ratios as median (least-disturbed run):");
        text.AppendLine();
        text.Append("| figure | ").AppendJoin(" | ", targets)
            .Append(baselines.Count > 0 ? " | " : "").AppendJoin(" | ", baselines.Select(b => $"{targets[0]}/{b}"))
            .AppendLine(" | target |");
        text.Append("|---|").Append(string.Concat(Enumerable.Repeat("--:|", targets.Count + baselines.Count))).AppendLine("---|");
        foreach (var label in report.Summary.Select(v => v.Metric).Distinct())
        {
            var values = report.Summary.Where(v => v.Metric == label).ToDictionary(v => v.Target);
            text.Append("| ").Append(label).Append(" | ")
                .AppendJoin(" | ", targets.Select(t => values.TryGetValue(t, out var v) ? Format(v) : "—"));
            foreach (var b in baselines)
            {
                var ratio = report.Ratios.FirstOrDefault(r => r.Metric == label && r.Baseline == b);
                text.Append(" | ").Append(ratio is null ? "—"
                    : runs > 1 ? $"{ratio.Value:0.00}× ({ratio.LeastDisturbedValue:0.00}×)" : $"{ratio.Value:0.00}×");
            }
            var targeted = report.Ratios.FirstOrDefault(r => r.Metric == label && r.Target is not null);
            text.Append(" | ").Append(targeted is null ? "" : $"≤ {targeted.Target:0.0#}× raw: {(targeted.Met == true ? "met" : "**missed**")}")
                .AppendLine(" |");
        }

        var notes = report.Results
            .Where(r => r.Failed is not null || r.Unsupported is not null || r.Caveat is not null || r.Warnings.Count > 0)
            .SelectMany(r => Notes(r).Select(n => $"- {r.Target} {r.Scenario}{(r.Variant is null ? "" : $" ({r.Variant})")} #{r.Repeat}: {n}"))
            .Distinct().ToList();
        if (notes.Count > 0)
        {
            text.AppendLine().AppendLine("Notes:");
            foreach (var note in notes) text.AppendLine(note);
        }
        if (report.Scale.Count > 0)
        {
            text.AppendLine();
            foreach (var line in report.Scale) text.AppendLine(line);
        }
        foreach (var todo in report.NotMeasured) text.AppendLine().Append("Not measured: ").AppendLine(todo);
        return text.ToString();
    }

    private static IEnumerable<string> Notes(ScenarioResult r)
    {
        if (r.Failed is not null) yield return $"FAILED: {r.Failed}";
        if (r.Unsupported is not null) yield return $"not supported: {r.Unsupported}";
        if (r.Caveat is not null) yield return $"caveat: {r.Caveat}";
        foreach (var w in r.Warnings) yield return w;
    }

    private static string Format(SummaryValue v)
    {
        var number = Math.Abs(v.Median) >= 100 ? v.Median.ToString("N0", CultureInfo.InvariantCulture)
            : v.Median.ToString("0.##", CultureInfo.InvariantCulture);
        return v.Runs > 1 && v.SpreadPercent > 0 ? $"{number} ±{v.SpreadPercent:0}%" : number;
    }
}
