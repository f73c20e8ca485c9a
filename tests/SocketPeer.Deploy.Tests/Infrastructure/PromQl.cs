using System.Text.RegularExpressions;

namespace SocketPeer.Deploy.Tests.Infrastructure;

/// <summary>
/// A tolerant reader of PromQL expressions: the metric names they select, and the exact label values
/// (<c>name{label="value"}</c>) they select on. Not a parser: it drops strings, label lists after
/// by/without/on/ignoring/group_*, ranges and subqueries, function names and keywords, and takes what
/// is left that looks like a metric name.
/// </summary>
internal static partial class PromQl
{
    private static readonly HashSet<string> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring", "group_left", "group_right",
        "inf", "nan", "atan2",
        // Aggregations whose label list may follow the argument: sum(x) by (a).
        "sum", "min", "max", "avg", "count", "stddev", "stdvar", "topk", "bottomk", "quantile", "count_values", "group",
    };

    /// <summary>The metric names an expression selects.</summary>
    public static IReadOnlySet<string> MetricNames(string expression)
    {
        var text = Strings().Replace(expression, "\"\"");
        text = LabelLists().Replace(text, " ");
        text = Matchers().Replace(text, " ");
        text = Ranges().Replace(text, " ");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match m in Identifier().Matches(text))
        {
            var name = m.Groups["name"].Value;
            if (m.Groups["call"].Success || Keywords.Contains(name)) continue;
            names.Add(name);
        }
        return names;
    }

    /// <summary>Each <c>metric{label="value"}</c> equality an expression selects on, as (metric, label, value).</summary>
    public static IEnumerable<(string Metric, string Label, string Value)> ExactMatchers(string expression)
    {
        foreach (Match selector in Selector().Matches(expression))
            foreach (Match matcher in Equality().Matches(selector.Groups["matchers"].Value))
                yield return (selector.Groups["name"].Value, matcher.Groups["label"].Value, matcher.Groups["value"].Value);
    }

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'")]
    private static partial Regex Strings();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex LabelLists();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Matchers();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Ranges();

    // Not after a digit, dot or $ (1e-9, 0.5, $__rate_interval); a call when "(" follows.
    [GeneratedRegex(@"(?<![\w.$])(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?<call>\s*\()?")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"(?<![\w.$])(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{(?<matchers>[^}]*)\}")]
    private static partial Regex Selector();

    [GeneratedRegex("(?<label>[a-zA-Z_][a-zA-Z0-9_]*)\\s*=\\s*\"(?<value>[^\"]*)\"")]
    private static partial Regex Equality();
}
