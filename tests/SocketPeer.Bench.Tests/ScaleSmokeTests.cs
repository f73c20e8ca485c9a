using System.Text.Json;
using SocketPeer.Bench.Cli;
using SocketPeer.Bench.Measurement;
using SocketPeer.Bench.Reporting;
using SocketPeer.Bench.Runner;
using SocketPeer.Bench.Scenarios;

namespace SocketPeer.Bench.Tests;

/// <summary>
/// The scale scenario in smoke mode: our server grown to two tiny sizes by two client worker processes
/// (each from its own loopback address), and the actor layer alone with 200 sessions, all started and
/// killed by the harness. Checks every figure was read and nothing was lost; asserts no speed.
/// </summary>
[Collection(SmokeCollection.Name)]
public sealed class ScaleSmokeTests
{
    [Fact]
    public async Task The_scale_scenario_grows_socketpeer_over_worker_processes_and_drives_the_actor_layer_alone()
    {
        // Given the smoke settings, our server only (the raw relay runs the same code path)
        var settings = BenchSettings.Parse(["scale", "--smoke", "--targets", "socketpeer", "--no-progress"]);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(settings.MaxMinutes));

        // When the scale scenario runs
        var report = await BenchRunner.RunAsync(settings, "scale smoke test", new ProgressLine(enabled: false), cancel.Token);

        // Then every size was reached, measured, and relayed without loss
        var expected = new Dictionary<string, int> { [ScaleScenario.EmptyLabel] = 2 * settings.ScaleRelayPairs, ["20"] = 20, ["40"] = 40 };
        foreach (var (label, sockets) in expected)
        {
            var r = Assert.Single(report.Results, x => x.Target == "socketpeer" && x.Scenario == ScaleScenario.Name && x.Variant == label);
            var what = $"scale {label}";
            Assert.True(r.Failed is null && r.Unsupported is null, $"{what} failed: {r.Failed}{r.Unsupported}");
            Assert.Equal(sockets, r.Scale?.Sockets);
            Assert.Equal(settings.ScaleWorkers, r.Scale!.Workers);
            Assert.True(r.Scale.ConnectFailed == 0 && r.Scale.PairingsPerSecond > 0, $"{what}: {r.Scale.ConnectFailed} pairings failed");
            Assert.True(r.Scale.IdleServerCores is not null && r.Scale.BaseIdleServerCores is not null, $"{what}: no idle CPU read");
            Assert.True(r.Scale.ServerDescriptors >= sockets && r.Scale.DescriptorLimit > 0, $"{what}: descriptors not read");
            Assert.True(r.Memory?.Sockets == sockets && r.Memory.RssAfterKb > 0 && r.Memory.HeapAfterBytes > 0, $"{what}: memory not read");
            Assert.True(r.Latency?.Count > 0 && r.Sent > 0 && r.ServerCpuSeconds > 0, $"{what}: no relay measured ({r.Latency?.Count} timed, {r.Sent} sent, {r.ServerCpuSeconds} s server CPU; {string.Join("; ", r.Warnings)})");
            Assert.True(r.Lost == 0 && r.Duplicated == 0 && r.OutOfOrder == 0, $"{what}: {r.Lost} lost, {r.Duplicated} duplicated, {r.OutOfOrder} out of order");
            Assert.True(r.ClosedByServer == 0 && r.UnexpectedMessages == 0, $"{what}: {r.ClosedByServer} closed, unexpected {r.FirstUnexpectedMessage}");
        }
        // And the actor layer paired its sessions into rooms, was measured, and lost nothing
        var actors = Assert.Single(report.Results, x => x.Scenario == ActorLayerScenario.Name);
        Assert.True(actors.Failed is null, $"actor layer failed: {actors.Failed}");
        Assert.Equal((settings.ActorSessions, settings.ActorSessions / 2), (actors.ActorLayer?.Sessions, actors.ActorLayer?.Rooms));
        Assert.True(actors.ActorLayer!.HeapPerSessionKb > 0 && actors.ActorLayer.HeapPairedBytes > 0, "actor layer: no heap read");
        Assert.True(actors.Latency?.Count > 0 && actors.Lost == 0 && actors.Duplicated == 0 && actors.OutOfOrder == 0,
            $"actor layer relay: {actors.Latency?.Count} measured, {actors.Lost} lost");
        // And the report holds the goals and the projection, in its table and its JSON
        Assert.Contains(report.Scale, l => l.StartsWith("Projection to 100,000 sockets", StringComparison.Ordinal));
        Assert.Contains("| scale (40): relay p99 µs |", ResultTable.Render(report));
        using var parsed = JsonDocument.Parse(JsonSerializer.Serialize(report, RunReport.Json));
        Assert.Equal(report.Scale.Count, parsed.RootElement.GetProperty("scale").GetArrayLength());
    }

    [Fact]
    public void Sizes_parse_in_sockets_with_max_last_and_shares_of_a_larger_total_never_shrink()
    {
        Assert.Equal([2500, 5000, BenchSettings.MaxSize], BenchSettings.Parse(["scale", "--sizes", "2500,5000,max"]).Sizes);
        Assert.Throws<ArgumentException>(() => BenchSettings.Parse(["scale", "--sizes", "5000,2500"]));
        Assert.Throws<ArgumentException>(() => BenchSettings.Parse(["scale", "--sizes", "max,2500"]));
        Assert.DoesNotContain(ScaleScenario.Name, BenchSettings.Parse([]).Scenarios);

        for (var total = 1000; total < 1100; total += 7)
        {
            var smaller = ScaleScenario.Split(1000, 3);
            var larger = ScaleScenario.Split(total, 3);
            Assert.Equal(total, larger.Sum());
            Assert.All(Enumerable.Range(0, 3), k => Assert.True(larger[k] >= smaller[k]));
        }
    }

    [Fact]
    public void Histograms_merged_across_processes_give_the_percentiles_of_all_their_samples()
    {
        var a = new LatencyHistogram();
        var b = new LatencyHistogram();
        var all = new LatencyHistogram();
        for (var i = 1; i <= 900; i++) { a.Record(i * 100); all.Record(i * 100); }
        for (var i = 1; i <= 100; i++) { b.Record(1_000_000 + i); all.Record(1_000_000 + i); }

        var merged = new LatencyHistogram();
        merged.Merge(a.Export());
        merged.Merge(JsonSerializer.Deserialize<HistogramCounts>(JsonSerializer.Serialize(b.Export()))!);

        Assert.Equal(all.Summarize(), merged.Summarize());
        Assert.Equal(1000, merged.Count);
    }
}
