using System.Text.Json;
using SocketPeer.Bench.Cli;
using SocketPeer.Bench.Reporting;
using SocketPeer.Bench.Runner;
using SocketPeer.Bench.Servers;

namespace SocketPeer.Bench.Tests;

/// <summary>
/// Runs every scenario in smoke mode (a few pairs, about a second each) against SocketPeer and the raw
/// relay, as separate processes started and killed by the harness, and checks the figures are sane.
/// Nothing here asserts speed: the suite shares two cores with other test projects.
/// </summary>
[Collection(SmokeCollection.Name)]
public sealed class SmokeTests
{
    private static readonly string[] Targets = ["socketpeer", "raw"];
    private static readonly string[] TrafficScenarios = ["pairing", "signalling", "relay-closed", "relay-open"];

    [Fact]
    public async Task Every_scenario_runs_against_socketpeer_and_the_raw_relay_and_loses_nothing()
    {
        // Given the smoke settings (the harness stops itself after MaxMinutes regardless)
        var settings = BenchSettings.Parse(["--smoke", "--no-progress"]);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(settings.MaxMinutes));

        // When every scenario runs against both servers
        var report = await BenchRunner.RunAsync(settings, "smoke test", new ProgressLine(enabled: false), cancel.Token);

        // Then each ran, moved traffic, and nothing was lost, duplicated, reordered or refused
        foreach (var target in Targets)
        {
            foreach (var scenario in TrafficScenarios)
            {
                var r = Assert.Single(report.Results, x => x.Target == target && x.Scenario == scenario);
                var what = $"{target} {scenario}";
                Assert.True(r.Failed is null, $"{what} failed: {r.Failed}");
                Assert.True(r.Operations > 0 && r.OperationsPerSecond > 0, $"{what}: no operations");
                Assert.True(r.ServerCpuSeconds > 0, $"{what}: no server CPU read");
                Assert.True(r.Latency?.Count > 0, $"{what}: no latency recorded");
                Assert.True(r.Lost == 0, $"{what}: {r.Lost} lost");
                if (scenario == "pairing") continue;
                Assert.True(r.ClosedByServer == 0, $"{what}: {r.ClosedByServer} sockets closed by the server");
                Assert.True(r.UnexpectedMessages == 0, $"{what}: unexpected message {r.FirstUnexpectedMessage}");
                if (scenario.StartsWith("relay", StringComparison.Ordinal))
                {
                    Assert.True(r.Duplicated == 0 && r.OutOfOrder == 0, $"{what}: {r.Duplicated} duplicated, {r.OutOfOrder} out of order");
                    Assert.True(r.Sent > 0, $"{what}: nothing sent");
                }
            }
            var idle = Assert.Single(report.Results, x => x.Target == target && x.Scenario == "idle");
            Assert.True(idle.Failed is null, $"{target} idle failed: {idle.Failed}");
            Assert.Equal(2 * settings.IdlePairs, idle.Memory?.Sockets);
            Assert.True(idle.Memory!.RssAfterKb > 0, $"{target} idle: no RSS read");
            Assert.True(idle.Memory.HeapAfterBytes > 0, $"{target} idle: no managed heap read");
            Assert.True(idle.IdleCpu?.Seconds > 0, $"{target} idle: no idle CPU window");
            Assert.True(idle.ClosedByServer is null, $"{target} idle: {idle.ClosedByServer} idle sockets closed by the server");
        }
        // And the report compares ours with the floor, and survives its JSON form
        Assert.Contains(report.Ratios, r => r.Baseline == "raw" && r.Metric == "relay-closed: server CPU µs/msg");
        var json = JsonSerializer.Serialize(report, RunReport.Json);
        using var parsed = JsonDocument.Parse(json);
        Assert.Equal(report.Results.Count, parsed.RootElement.GetProperty("results").GetArrayLength());
        Assert.Contains("| relay-open: p99 µs |", ResultTable.Render(report));
    }

    [Fact]
    public void Smoke_mode_keeps_peerjs_out_and_waits_for_nothing()
    {
        var settings = BenchSettings.Parse(["--smoke"]);

        Assert.Equal([TargetKind.SocketPeer, TargetKind.Raw], settings.Targets);
        Assert.Equal(0, settings.MaxQuietWaitSeconds);
        Assert.Equal(BenchSettings.AllScenarios, settings.Scenarios);
    }
}
