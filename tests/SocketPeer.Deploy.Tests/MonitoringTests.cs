using System.Text.Json;
using System.Text.RegularExpressions;
using SocketPeer.Deploy.Tests.Infrastructure;
using SocketPeer.Testing;
using YamlDotNet.RepresentationModel;

namespace SocketPeer.Deploy.Tests;

/// <summary>
/// deploy/k8s/components/monitoring: the Grafana dashboard and the alert rules use only metrics a
/// real server exports, the rules pass promtool (check and a unit test per alert), and the component
/// renders in an overlay into objects that validate against their schemas.
/// </summary>
public partial class MonitoringTests
{
    public const string Component = "deploy/k8s/components/monitoring";
    private const string Dashboard = Component + "/socketpeer.json";
    private const string Rules = Component + "/prometheusrule.yaml";
    private const string RuleTests = Component + "/tests/alerts.test.yaml";

    /// <summary>Series Prometheus makes itself for every target, not exported by the server.</summary>
    private static readonly HashSet<string> MadeByPrometheus = ["up"];

    /// <summary>Labels Prometheus attaches to every series of a target, not exported by the server.</summary>
    private static readonly HashSet<string> TargetLabels = ["job", "namespace", "pod", "instance"];

    [Fact]
    public async Task Every_metric_the_dashboard_and_the_alerts_use_is_exported()
    {
        var expressions = DashboardExpressions().Concat(RuleExpressions()).ToList();
        await using var server = await SocketPeerServer.StartAsync();
        // A little traffic: a pair relays both ways, then one side leaves.
        var (a, b) = await Pairs.OpenAsync(server);
        await using (a)
        await using (b)
            await Pairs.AssertRelaysAsync(a, b);
        using var http = server.CreateHttpClient();
        var scrape = ParseScrape(await http.GetStringAsync("/metrics"));

        var used = expressions.SelectMany(PromQl.MetricNames).ToHashSet();
        Assert.Superset(
            new HashSet<string>
            {
                "socketpeer_connections", "socketpeer_pairings_total", "socketpeer_relayed_messages_total",
                "socketpeer_closes_total", "socketpeer_resumes_total", "socketpeer_cluster_members",
                "socketpeer_cluster_unreachable", "socketpeer_shards", "socketpeer_shard_handoffs_total",
            },
            used);
        var missing = used.Where(name => !MadeByPrometheus.Contains(name) && !scrape.ContainsKey(name)).Order().ToList();
        Assert.True(missing.Count == 0, $"used by the dashboard or the alerts, not exported by the server: {string.Join(", ", missing)}");

        // A selector on an exact label value (code="4000", status="up") needs that series on a fresh node.
        var absent = expressions.SelectMany(PromQl.ExactMatchers)
            .Where(m => !TargetLabels.Contains(m.Label) && !MadeByPrometheus.Contains(m.Metric))
            .Where(m => !scrape.TryGetValue(m.Metric, out var series) || !series.Any(labels => labels.Contains($"{m.Label}=\"{m.Value}\"")))
            .Select(m => $"{m.Metric}{{{m.Label}=\"{m.Value}\"}}")
            .Distinct().Order().ToList();
        Assert.True(absent.Count == 0, $"selected by the dashboard or the alerts, no such series in the scrape: {string.Join(", ", absent)}");
        // And the cluster gauges read the cluster: a single node sees itself Up.
        Assert.Contains(scrape["socketpeer_cluster_members"], labels => labels.Contains("status=\"up\"") && labels.EndsWith("\t1", StringComparison.Ordinal));
    }

    [Fact]
    public void The_metric_name_reader_takes_metrics_and_leaves_functions_labels_and_keywords()
    {
        var names = PromQl.MetricNames(
            """sum by (namespace, code) (rate(a_total{job="x", code=~"40.."}[$__rate_interval])) / clamp_min(max(b) without (pod), 1e-9) > bool 0.5 or on (namespace) absent(up{job="y"} == 1) unless sum(c offset 5m) by (pod)""");

        Assert.Equal(["a_total", "b", "c", "up"], names.Order());
        Assert.Equal([("a_total", "job", "x"), ("up", "job", "y")], PromQl.ExactMatchers("""rate(a_total{job="x", code=~"40..", pod!="p"}[5m]) + up{job="y"}"""));
    }

    [PromtoolFact]
    public void The_alert_rules_pass_promtool_check_rules()
    {
        using var folder = RulesFolder.Create();

        var result = Command.Run("promtool", ["check", "rules", folder.RulesFile]);

        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.Contains($"SUCCESS: {RuleNames().Count} rules found", result.Output);
    }

    [PromtoolFact]
    public void Every_alert_has_a_promtool_test_that_fires_it_and_one_that_does_not_and_they_pass()
    {
        var tests = LoadYaml(RuleTests);
        var cases = ((YamlSequenceNode)tests["tests"]).Children.Cast<YamlMappingNode>()
            .SelectMany(t => t.Children.TryGetValue("alert_rule_test", out var r) ? ((YamlSequenceNode)r).Children.Cast<YamlMappingNode>() : [])
            .Select(c => (Alert: ((YamlScalarNode)c["alertname"]).Value!, Fires: ((YamlSequenceNode)c["exp_alerts"]).Children.Count > 0))
            .ToList();
        foreach (var alert in RuleNames())
        {
            Assert.True(cases.Contains((alert, true)), $"{RuleTests}: no case where {alert} fires");
            Assert.True(cases.Contains((alert, false)), $"{RuleTests}: no case where {alert} stays quiet");
        }
        using var folder = RulesFolder.Create();

        var result = Command.Run("promtool", ["test", "rules", folder.TestsFile]);

        Assert.True(result.ExitCode == 0, result.Describe());
    }

    [Fact]
    public void The_component_renders_in_an_overlay_and_its_objects_match_their_schemas()
    {
        var folder = Directory.CreateTempSubdirectory("socketpeer-monitoring-");
        try
        {
            // An overlay as docs/operations.md shows it: the base, a namespace, the component.
            File.WriteAllText(Path.Combine(folder.FullName, "kustomization.yaml"), $"""
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                namespace: socketpeer-monitoring-test
                resources:
                  - {Path.GetRelativePath(folder.FullName, Repo.Path(Rendering.Base))}
                components:
                  - {Path.GetRelativePath(folder.FullName, Repo.Path(Component))}
                """);
            var rendered = Command.Run("kubectl", ["kustomize", folder.FullName]);
            Assert.True(rendered.ExitCode == 0, rendered.Describe());

            var validated = SchemaValidator.Validate(rendered.Output);

            Assert.True(validated.ExitCode == 0, validated.Describe());
            foreach (var kind in new[] { "monitoring.coreos.com/v1/PrometheusRule", "monitoring.coreos.com/v1/PodMonitor" })
                Assert.Contains($"valid   stdin: {kind} socketpeer-monitoring-test/socketpeer", validated.Output);
            Assert.Contains("valid   stdin: v1/ConfigMap socketpeer-monitoring-test/socketpeer-dashboard", validated.Output);
            Assert.Contains("grafana_dashboard: \"1\"", rendered.Output);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void The_validator_refuses_an_invalid_PrometheusRule()
    {
        // A group without a name and a "for" that is not a duration.
        const string invalid = """
            apiVersion: monitoring.coreos.com/v1
            kind: PrometheusRule
            metadata: {name: broken}
            spec:
              groups:
                - rules:
                    - alert: Broken
                      expr: up == 0
                      for: five minutes
            """;

        var result = SchemaValidator.Validate(invalid);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("must have required property name", result.Output);
        Assert.Contains("/for must match pattern", result.Output);
    }

    private static IEnumerable<string> DashboardExpressions()
    {
        using var dashboard = JsonDocument.Parse(Repo.Read(Dashboard));
        var expressions = new List<string>();
        Collect(dashboard.RootElement);
        Assert.NotEmpty(expressions);
        return expressions;

        void Collect(JsonElement element)
        {
            if (element.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in element.EnumerateObject())
                {
                    // Panel targets ("expr") and template variables ("definition", label_values(metric, label)).
                    if (property.Name is "expr" && property.Value.ValueKind == JsonValueKind.String)
                        expressions.Add(property.Value.GetString()!);
                    else if (property.Name is "definition" && LabelValues().Match(property.Value.GetString() ?? "") is { Success: true } m)
                        expressions.Add(m.Groups["selector"].Value);
                    else
                        Collect(property.Value);
                }
            }
            else if (element.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in element.EnumerateArray()) Collect(item);
            }
        }
    }

    private static YamlMappingNode RuleSpec() => (YamlMappingNode)LoadYaml(Rules)["spec"];

    private static IEnumerable<YamlMappingNode> RuleNodes() =>
        ((YamlSequenceNode)RuleSpec()["groups"]).Children.Cast<YamlMappingNode>()
            .SelectMany(g => ((YamlSequenceNode)g["rules"]).Children.Cast<YamlMappingNode>());

    private static IEnumerable<string> RuleExpressions() => RuleNodes().Select(r => ((YamlScalarNode)r["expr"]).Value!);

    private static IReadOnlyList<string> RuleNames() => [.. RuleNodes().Select(r => ((YamlScalarNode)r["alert"]).Value!)];

    private static YamlMappingNode LoadYaml(string relative)
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(Repo.Read(relative)))
            stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    /// <summary>Metric name → its samples (labels, a tab, the value), from Prometheus text.</summary>
    private static Dictionary<string, List<string>> ParseScrape(string text)
    {
        var series = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (Sample().Match(line) is not { Success: true } m) continue;
            var name = m.Groups["name"].Value;
            if (!series.TryGetValue(name, out var labels)) series[name] = labels = [];
            labels.Add($"{m.Groups["labels"].Value}\t{m.Groups["value"].Value}");
        }
        return series;
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(?<labels>.*)\})?\s+(?<value>\S+)")]
    private static partial Regex Sample();

    [GeneratedRegex(@"label_values\((?<selector>[^,]+),")]
    private static partial Regex LabelValues();

    /// <summary>
    /// A folder with the PrometheusRule's spec as a plain rules file (what promtool reads) next to a
    /// copy of the promtool unit tests, which name it <c>socketpeer.rules.yaml</c>.
    /// </summary>
    private sealed class RulesFolder : IDisposable
    {
        private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("socketpeer-rules-");

        public string RulesFile => Path.Combine(_folder.FullName, "socketpeer.rules.yaml");

        public string TestsFile => Path.Combine(_folder.FullName, "alerts.test.yaml");

        public static RulesFolder Create()
        {
            var folder = new RulesFolder();
            using (var writer = new StreamWriter(folder.RulesFile))
                new YamlStream(new YamlDocument(RuleSpec())).Save(writer, assignAnchors: false);
            File.Copy(Repo.Path(RuleTests), folder.TestsFile);
            return folder;
        }

        public void Dispose() => _folder.Delete(recursive: true);
    }
}

/// <summary>Runs where promtool is on PATH (Debian's prometheus package; test.sh installs it), else skipped saying so.</summary>
public sealed class PromtoolFactAttribute : FactAttribute
{
    public PromtoolFactAttribute()
    {
        try
        {
            Command.Find("promtool");
        }
        catch (InvalidOperationException)
        {
            Skip = "promtool is not on PATH: install Debian's prometheus package (test.sh does)";
        }
    }
}
