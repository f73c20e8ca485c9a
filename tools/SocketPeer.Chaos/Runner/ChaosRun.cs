using System.Diagnostics;
using System.Security.Cryptography;
using SocketPeer.Chaos.Cli;
using SocketPeer.Chaos.Client;
using SocketPeer.Chaos.Deploy;
using SocketPeer.Chaos.Faults;
using SocketPeer.Chaos.Nodes;
using SocketPeer.Chaos.Report;

namespace SocketPeer.Chaos.Runner;

/// <summary>
/// One run, start to end: nodes up, pairs paired, traffic, the fault, traffic until every pair had
/// time to recover, a drain, the verdict. Everything it starts it stops, whatever happens; the whole
/// run is bounded by <see cref="ChaosSettings.MaxMinutes"/>. The command line and the tests call this.
/// </summary>
public static class ChaosRun
{
    private static readonly TimeSpan PairWithin = TimeSpan.FromSeconds(60);

    public static async Task<ChaosReport> RunAsync(ChaosSettings settings, string command, Action<string>? progress, CancellationToken cancel)
    {
        settings.Validate();
        if (settings.Kustomization is { } kustomization) settings.Rollout = RolloutTimingsReader.Read(kustomization);
        string? buildError = null;
        if (settings.UpgradeFromCommit is { } commit && settings.UpgradeFrom is null)
        {
            // Before the run's clock and its --max-minutes: a first build takes a while, a cached one no time.
            try
            {
                settings.UpgradeFromCommit = ReleaseBuilds.FullHash(ReleaseBuilds.Resolve(commit)) ?? ReleaseBuilds.Resolve(commit);
                settings.UpgradeFrom = await ReleaseBuilds.BuildAsync(settings.UpgradeFromCommit, progress ?? (_ => { }), cancel);
            }
            catch (ChaosException e)
            {
                buildError = e.Message;
            }
        }
        var clock = new RunClock();
        var say = progress is null ? (_ => { }) : (Action<string>)(line => progress($"[{clock.Now / 1000,7:0.00} s] {line}"));
        var report = new ChaosReport { Settings = settings, Command = command, StartedAtUtc = clock.StartedAtUtc, GitCommit = GitCommit() };
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        bounded.CancelAfter(TimeSpan.FromMinutes(settings.MaxMinutes));
        var stop = bounded.Token;
        NodeCluster? cluster = null;
        List<ChaosPair> pairs = [];
        FaultContext? context = null;
        using var clients = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var running = new List<Task>();
        using var burners = CpuBurners.Start(settings.CpuBurners);
        if (settings.CpuBurners > 0) say($"{settings.CpuBurners} busy loops hold cores for the whole run");
        try
        {
            if (buildError is not null) throw new ChaosException(buildError);
            if (settings.Fault == FaultKind.StuckConsumer)
            {
                // The stuck clients must still find the 4000 close frame when they read again: neither
                // the close's wait nor a blocked send (SendTimeout would reset them) may end first.
                settings.NodeEnvironment.TryAdd("SocketPeer__CloseTimeout", "00:01:00");
                settings.NodeEnvironment.TryAdd("SocketPeer__SendTimeout", "00:01:00");
            }
            if (settings.IsUpgrade)
                say($"upgrade: the nodes start on {settings.UpgradeFrom}, the rollout brings each back on {BuildPaths.GatewayDll}");
            else
                say($"starting {settings.Nodes} nodes ({BuildPaths.GatewayDll})");
            cluster = await NodeCluster.StartAsync(settings, inNamespaces: settings.Fault == FaultKind.Partition, stop);
            report.NodeLogs = cluster.LogDirectory;
            say($"nodes ready: {string.Join(", ", cluster.Specs.Select(s => $"{s.Name} {s.HttpBase} {s.AkkaAddress}"))}");
            running.Add(cluster.Endpoints.RunProbesAsync(clients.Token));

            var runId = Convert.ToHexString(RandomNumberGenerator.GetBytes(3)).ToLowerInvariant();
            // The pairs a stuck-consumer fault will make stuck speak the original protocol: with resume,
            // the sender's 256-message replay buffer ends the pairing (peer.left) long before the
            // stuck client's outbound queue fills, so the slow-consumer close would never be exercised.
            var stuckPairs = settings.Fault == FaultKind.StuckConsumer ? StuckConsumer.CountFor(settings.Pairs, settings.StuckFraction) : 0;
            pairs = Enumerable.Range(0, settings.Pairs)
                .Select(i => i < stuckPairs
                    ? new ChaosPair(i, runId, settings.Nodes, cluster.Endpoints, clock, resume: false, layout: settings.Layout)
                    : new ChaosPair(i, runId, settings.Nodes, cluster.Endpoints, clock, kind: settings.Clients.KindOf(i), layout: settings.Layout)).ToList();
            running.AddRange(pairs.SelectMany(p => p.Peers).Select(peer => Task.Run(() => peer.RunAsync(clients.Token))));
            var paired = Task.WhenAll(pairs.SelectMany(p => p.Peers).Select(peer => peer.FirstPairing));
            try
            {
                await paired.WaitAsync(PairWithin, stop);
            }
            catch (TimeoutException)
            {
                var unpaired = pairs.Count(p => !p.A.FirstPairing.IsCompleted || !p.B.FirstPairing.IsCompleted);
                throw new ChaosException($"{unpaired} of {pairs.Count} pairs not paired within {PairWithin.TotalSeconds:0} s");
            }
            say($"{pairs.Count} pairs paired; traffic at {settings.Rate} msg/s per client");

            var traffic = new Traffic(pairs, settings.Rate, settings.PayloadBytes);
            running.Add(traffic.RunAsync(clients.Token));
            var trafficStart = clock.Now;
            context = new FaultContext(settings, cluster, clock, pairs, traffic, say);
            await Task.Delay(TimeSpan.FromSeconds(settings.Seconds / 3), stop);
            await InjectAsync(context, stop);
            var lastFault = context.Events.Count > 0 ? context.Events.Max(e => e.AtMs) : clock.Now;
            var end = Math.Max(trafficStart + settings.Seconds * 1000, lastFault + settings.SettleSeconds * 1000);
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(0, end - clock.Now)), stop);

            traffic.Sending = false;
            say("traffic stopped; draining");
            await DrainAsync(pairs, TimeSpan.FromSeconds(settings.DrainSeconds), stop);
            say("drained");
        }
        catch (Exception e) when (e is ChaosException or OperationCanceledException)
        {
            report.Error = e is OperationCanceledException
                ? (cancel.IsCancellationRequested ? "cancelled" : $"not finished within --max-minutes {settings.MaxMinutes}")
                : e.Message;
            say($"run failed: {report.Error}");
        }
        finally
        {
            foreach (var peer in pairs.SelectMany(p => p.Peers)) peer.Abort();
            await clients.CancelAsync();
            try
            {
                await Task.WhenAll(running).WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
            }
            catch (Exception e) when (e is OperationCanceledException or TimeoutException)
            {
                // Loops that were cancelled; nothing to keep.
            }
            if (cluster is not null)
            {
                report.Nodes = cluster.EveryProcess.Select(p => new NodeRun(p.Spec.Name, p.Pid,
                    (p.StartedAt - clock.StartedAtUtc).TotalMilliseconds, p.HasExited ? p.Outcome : "running at the end (killed by the harness)")
                { Build = p.Build.Name }).ToList();
                await cluster.DisposeAsync();
            }
        }
        ReportBuilder.Fill(report, pairs, context?.Events ?? []);
        report.Promises = Promises.Check(report, pairs);
        report.DurationSeconds = clock.Now / 1000;
        report.LoadAtEnd = ChaosReport.LoadAverage();
        return report;
    }

    private static Task InjectAsync(FaultContext context, CancellationToken cancel) => context.Settings.Fault switch
    {
        FaultKind.None => Task.CompletedTask,
        FaultKind.Kill9 => NodeFaults.Kill9Async(context),
        FaultKind.Sigterm => NodeFaults.SigtermAsync(context),
        FaultKind.Rolling => RollingUpdate.RunAsync(context, cancel),
        FaultKind.Partition => Partition.RunAsync(context, cancel),
        FaultKind.StuckConsumer => StuckConsumer.RunAsync(context, cancel),
        _ => throw new ArgumentOutOfRangeException(nameof(context)),
    };

    /// <summary>
    /// Waits until every message sent has arrived somewhere and nothing is left unacknowledged, or
    /// <paramref name="within"/> passes (what is missing then is lost, and the report says so).
    /// Checked every 100 ms: arrivals come from hundreds of receive loops, with no single signal.
    /// </summary>
    private static async Task DrainAsync(IReadOnlyList<ChaosPair> pairs, TimeSpan within, CancellationToken cancel)
    {
        var until = Stopwatch.StartNew();
        // Original clients' messages to a partner that was gone never arrive, so they cannot be
        // waited for; what is merely in flight arrives within a second (relay latency is milliseconds).
        var promised = pairs.Where(p => !p.Stuck && p.Kind == ClientKind.Resume).ToList();
        var atLeast = pairs.Any(p => p.Kind == ClientKind.Original) ? TimeSpan.FromSeconds(1) : TimeSpan.Zero;
        while (until.Elapsed < within)
        {
            if (until.Elapsed >= atLeast && promised.All(p => p.AToB.AllArrived && p.BToA.AllArrived)) return;
            await Task.Delay(100, cancel);
        }
    }

    private static string? GitCommit()
    {
        try
        {
            var start = new ProcessStartInfo("git", ["-C", BuildPaths.RepoRoot, "rev-parse", "HEAD"]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var git = Process.Start(start);
            if (git is null) return null;
            var commit = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 ? commit : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
