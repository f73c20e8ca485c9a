using System.Diagnostics;
using SocketPeer.Bench.Cli;
using SocketPeer.Bench.Client;
using SocketPeer.Bench.Measurement;
using SocketPeer.Bench.Reporting;
using SocketPeer.Bench.Scenarios;
using SocketPeer.Bench.Servers;

namespace SocketPeer.Bench.Runner;

/// <summary>
/// Runs the chosen scenarios against each server, repeat after repeat with the servers interleaved
/// (so a burst of outside load spreads over all of them instead of hitting one). Each server is started
/// fresh per repeat for the traffic scenarios, and again for each idle-footprint run; every process
/// started is killed before this returns.
/// <para>The <c>cluster</c> scenario starts its own two- and three-node clusters (<see cref="ClusterRelay"/>),
/// after the other targets of each repeat.</para>
/// </summary>
public static class BenchRunner
{
    public static async Task<RunReport> RunAsync(BenchSettings settings, string command, ProgressLine progress, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        var report = new RunReport
        {
            Command = command,
            Machine = MachineInfo.Read(),
            Git = GitState.Read(RepoRoot()),
            Settings = settings,
        };
        var idle = settings.Scenarios.Contains(IdleFootprint.Name);
        // A smoke run measures idle sockets on the server the traffic scenarios used: its figures are not
        // for reading, and one server start per target less keeps it inside the test suite's budget.
        var traffic = settings.Scenarios.Where(s => (s != IdleFootprint.Name || settings.Smoke) && s != ClusterRelay.Name && s != ScaleScenario.Name).ToList();
        var cluster = settings.Scenarios.Contains(ClusterRelay.Name);
        var scale = settings.Scenarios.Contains(ScaleScenario.Name);
        if (settings.Smoke) idle = false;
        try
        {
            for (var repeat = 1; repeat <= settings.Repeat; repeat++)
            {
                if (cluster)
                    report.Results.AddRange(await ClusterRelay.RunAsync(settings, progress, repeat, cancel));
                if (scale && settings.ActorSessions > 0)
                    report.Results.Add(await ActorLayerScenario.RunAsync(settings, progress, repeat, cancel));
                foreach (var kind in settings.Targets)
                {
                    if (kind != TargetKind.External && ServerLaunch.Unavailable(kind, settings.BaseGateway) is { } why)
                    {
                        if (repeat == 1)
                            report.Results.AddRange(settings.Scenarios.Select(s => new ScenarioResult
                            { Target = kind.Name(), Scenario = s, Repeat = repeat, Unsupported = why }));
                        continue;
                    }
                    if (scale)
                    {
                        if (kind is TargetKind.SocketPeer or TargetKind.SocketPeerBase or TargetKind.Raw)
                            report.Results.AddRange(await ScaleScenario.RunAsync(kind, settings, progress, repeat, cancel));
                        else if (repeat == 1)
                            report.Results.Add(new ScenarioResult
                            { Target = kind.Name(), Scenario = ScaleScenario.Name, Repeat = repeat, Unsupported = "the scale scenario drives SocketPeer's protocol only" });
                    }
                    if (traffic.Count > 0)
                        await WithServerAsync(kind, workstationGc: false, settings, progress, cancel, async target =>
                        {
                            foreach (var scenario in traffic)
                                report.Results.Add(await RunOneAsync(target, scenario,
                                    scenario == IdleFootprint.Name ? IdleVariants.Default : null, repeat, settings, progress, cancel));
                        }, report, traffic, repeat);
                    if (idle)
                        foreach (var (variant, workstation) in IdleVariantsFor(kind, settings))
                            await WithServerAsync(kind, workstation, settings, progress, cancel, async target =>
                                report.Results.Add(await RunOneAsync(target, IdleFootprint.Name, variant, repeat, settings, progress, cancel)),
                                report, [IdleFootprint.Name], repeat, variant);
                }
            }
        }
        finally
        {
            ChildProcesses.KillAll();
        }
        report.Finish(clock.Elapsed);
        return report;
    }

    private static IEnumerable<(string Variant, bool Workstation)> IdleVariantsFor(TargetKind kind, BenchSettings settings)
    {
        yield return (IdleVariants.Default, false);
        if (settings.GcVariants && kind is TargetKind.SocketPeer or TargetKind.SocketPeerBase or TargetKind.Raw) yield return (IdleVariants.Workstation, true);
    }

    /// <summary>Starts the server (or uses --url), runs <paramref name="body"/>, and always stops it.</summary>
    private static async Task WithServerAsync(TargetKind kind, bool workstationGc, BenchSettings settings, ProgressLine progress,
        CancellationToken cancel, Func<Target, Task> body, RunReport report, IReadOnlyList<string> scenarios, int repeat, string? variant = null)
    {
        if (kind == TargetKind.External)
        {
            var (endpoint, path) = settings.ExternalEndpoint();
            await body(new Target(kind, endpoint, Target.WireFor(kind, path), settings.ServerPid, null));
            return;
        }
        ServerProcess server;
        try
        {
            progress.Say($"starting {kind.Name()}{(workstationGc ? " (DOTNET_gcServer=0)" : "")} for repeat {repeat}");
            server = await ServerProcess.StartAsync(kind, ServerLaunch.For(kind, workstationGc, settings.ServerEnvironment, settings.BaseGateway), cancel);
        }
        catch (BenchException e)
        {
            report.Results.AddRange(scenarios.Select(s => new ScenarioResult
            { Target = kind.Name(), Scenario = s, Variant = variant, Repeat = repeat, Failed = e.Message }));
            return;
        }
        await using (server)
            await body(new Target(kind, server.Endpoint, Target.WireFor(kind), server.Pid, server));
    }

    private static async Task<ScenarioResult> RunOneAsync(Target target, string scenario, string? variant, int repeat,
        BenchSettings settings, ProgressLine progress, CancellationToken cancel)
    {
        var context = new ScenarioContext(target, settings, progress, $"r{repeat}-{scenario}-{Guid.NewGuid():N}"[..24], cancel);
        progress.Say($"{target.Name}: {scenario}{(variant is null ? "" : $" ({variant})")}, repeat {repeat}");
        try
        {
            var result = scenario switch
            {
                PairingStorm.Name => await PairingStorm.RunAsync(context, repeat),
                SignallingScenario.Name => await SignallingScenario.RunAsync(context, repeat),
                RelayScenario.ClosedName => await RelayScenario.RunClosedAsync(context, repeat),
                RelayScenario.OpenName => await RelayScenario.RunOpenAsync(context, repeat),
                IdleFootprint.Name => await IdleFootprint.RunAsync(context, variant!, repeat),
                _ => throw new ArgumentOutOfRangeException(nameof(scenario)),
            };
            progress.Say($"  {Describe(result)}");
            return result;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancel.IsCancellationRequested)
        {
            progress.Say($"  FAILED: {e.Message}");
            return new ScenarioResult { Target = target.Name, Scenario = scenario, Variant = variant, Repeat = repeat, Failed = e.Message };
        }
    }

    private static string Describe(ScenarioResult r) =>
        r.Memory is { } m
            ? $"{m.Sockets} sockets: RSS {m.RssPerSocketKb:0.0} KB/socket, heap {m.HeapPerSocketKb?.ToString("0.0") ?? "?"} KB/socket" +
              (r.IdleCpu is { } c ? $", idle {c.ServerCores:0.0000} cores over {c.Seconds:0} s (box {c.MachineBusyCores:0.00} busy)" : "")
            : $"{r.Operations:N0} {r.OperationUnit}s in {r.WindowSeconds:0.0} s = {r.OperationsPerSecond:N0}/s, " +
              $"server {r.ServerCpuUsPerOperation:0.0} µs CPU each, p50 {r.Latency?.P50Us:N0} µs p99 {r.Latency?.P99Us:N0} µs" +
              (r.Lost > 0 ? $", lost {r.Lost}" : "") + (r.Warnings.Count > 0 ? $" [{string.Join("; ", r.Warnings)}]" : "");

    /// <summary>The repository this harness was built from (bench/results is two levels down).</summary>
    public static string RepoRoot() => Path.GetFullPath(Path.Combine(BuildPaths.ResultsDir, "..", ".."));
}
