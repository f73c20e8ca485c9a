using SocketPeer.Bench.Cli;
using SocketPeer.Bench.Measurement;
using SocketPeer.Bench.Reporting;

namespace SocketPeer.Bench.Scenarios;

/// <summary>What every scenario gets: the server, the settings, the display, and the run's cancellation.</summary>
public sealed class ScenarioContext(Target target, BenchSettings settings, ProgressLine progress, string tag, CancellationToken cancel)
{
    public Target Target { get; } = target;
    public BenchSettings Settings { get; } = settings;
    public ProgressLine Progress { get; } = progress;
    /// <summary>Unique per scenario run, so pair codes and ids never meet an earlier run's.</summary>
    public string Tag { get; } = tag;
    public CancellationToken Cancel { get; } = cancel;

    /// <summary>The variant of every result of this context when the scenario names none (a cluster layout).</summary>
    public string? Variant { get; init; }

    public ScenarioResult NewResult(string scenario, string? variant = null, int repeat = 0) =>
        new() { Target = Target.Name, Scenario = scenario, Variant = variant ?? Variant, Repeat = repeat };

    /// <summary>Before a timed window: the server idle and, within bounds, the rest of the box quiet.</summary>
    public async Task PrepareWindowAsync(ScenarioResult result)
    {
        await QuietWait.UntilServerIdleAsync(Target.Pid, TimeSpan.FromSeconds(Settings.Smoke ? 0.5 : 15), Cancel);
        result.LoadAverageBefore = ProcFs.LoadAverage();
        if (Settings.MaxQuietWaitSeconds <= 0) return; // smoke: no waiting, and the figures are not for reading
        var (waited, other) = await QuietWait.UntilQuietAsync(Target.Pid, Settings.QuietCores,
            TimeSpan.FromSeconds(Settings.MaxQuietWaitSeconds), Progress.Say, Cancel);
        result.QuietWaitSeconds = waited;
        result.OtherCoresBeforeWindow = other;
        if (other >= Settings.QuietCores)
            result.Warnings.Add($"the box was busy before the window: others used {other:0.00} cores after waiting {waited:0} s");
    }
}
