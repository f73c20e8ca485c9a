using System.Diagnostics;
using System.Globalization;
using SocketPeer.Bench.Cli;
using SocketPeer.Bench.Client;
using SocketPeer.Bench.Measurement;
using SocketPeer.Bench.Reporting;
using SocketPeer.Bench.Scale;
using SocketPeer.Bench.Servers;

namespace SocketPeer.Bench.Scenarios;

/// <summary>
/// How a server behaves as its sockets grow to the descriptor limit (issue 18). One fresh server per
/// target and repeat; the sockets are held by <see cref="BenchSettings.ScaleWorkers"/> client processes
/// (<see cref="SocketWorker"/>), each connecting from its own loopback address, and grow size by size:
/// first only the relaying pairs (<c>empty</c>), then up to each of <see cref="BenchSettings.Sizes"/>.
/// At each size: the rate of the step's connects and pairings, memory per socket after a full GC
/// (growth over the server before any socket), idle server CPU over <see cref="BenchSettings.ScaleIdleSeconds"/>,
/// then open-loop relay on the same <see cref="BenchSettings.ScaleRelayPairs"/> pairs at
/// <see cref="BenchSettings.Rate"/>. Each size is a result of its own (its variant: the size's label).
/// </summary>
public static class ScaleScenario
{
    public const string Name = "scale";
    public const string EmptyLabel = "empty";
    /// <summary>Descriptors left free under the server's limit at <c>max</c>: its own files, the diagnostics port, a probe's sockets.</summary>
    private const int DescriptorHeadroom = 100;

    public static string Label(int size) => size switch
    {
        0 => EmptyLabel,
        BenchSettings.MaxSize => "max",
        _ => size.ToString(CultureInfo.InvariantCulture),
    };

    public static async Task<List<ScenarioResult>> RunAsync(TargetKind kind, BenchSettings settings, ProgressLine progress, int repeat,
        CancellationToken cancel)
    {
        var results = new List<ScenarioResult>();
        var tag = $"r{repeat}-scale-{Guid.NewGuid():N}"[..22];
        ServerProcess? server = null;
        var workers = new List<WorkerProcess>();
        var sizes = new[] { 0 }.Concat(settings.Sizes).ToList();
        try
        {
            progress.Say($"starting {kind.Name()} for scale, repeat {repeat}");
            server = await ServerProcess.StartAsync(kind, ServerLaunch.For(kind, workstationGc: false, settings.ServerEnvironment, settings.BaseGateway), cancel);
            var pid = server.Pid;
            var context = new ScenarioContext(new Target(kind, server.Endpoint, Target.WireFor(kind), pid, server), settings, progress, tag, cancel);

            // The server with no sockets, after a small warm-up: what each size's growth is measured from.
            var warmup = await PairPool.ConnectAsync(context, 20, tag + "w");
            await PairPool.DisposeAllAsync(warmup.Pairs);
            await QuietWait.UntilServerIdleAsync(pid, TimeSpan.FromSeconds(settings.Smoke ? 2 : 20), cancel);
            var (heapBase, rssBase) = await MemoryProbe.CollectAsync(pid, settings.Smoke, cancel);
            var threadsBase = ProcFs.ThreadCount(pid);
            var descriptorLimit = ProcFs.DescriptorLimit(pid);
            var fit = descriptorLimit is { } limit ? (limit - ProcFs.OpenDescriptors(pid) - DescriptorHeadroom) / 2 * 2 : int.MaxValue;
            // A gateway keeps its own headroom under the limit and refuses sockets past its cap with 503: max is what it admits.
            if (server.SocketCap is { } cap) fit = Math.Min(fit, cap / 2 * 2);
            // What the server does with no socket at all (cluster gossip, timers): each size's idle CPU is counted over it.
            var baseIdleCpu = CpuWindow.Start(pid);
            await Task.Delay(TimeSpan.FromSeconds(settings.ScaleIdleSeconds), cancel);
            var baseIdleCores = baseIdleCpu.Stop().ServerCores;

            for (var k = 0; k < settings.ScaleWorkers; k++)
                workers.Add(WorkerProcess.Start("scale-worker",
                [
                    "--server", server.Endpoint.ToString(), "--path", "/socketpeer/", "--source", $"127.0.0.{k + 2}",
                    "--tag", $"{tag}-{k}", "--concurrency", Math.Max(1, settings.Concurrency / settings.ScaleWorkers).ToString(CultureInfo.InvariantCulture),
                ]));
            await Task.WhenAll(workers.Select(w => w.ReadyAsync(TimeSpan.FromMinutes(1), cancel)));
            var held = new int[workers.Count];
            var relayPairs = settings.ScaleRelayPairs;
            var relayShares = Split(relayPairs, workers.Count);
            long closedBefore = 0;

            foreach (var size in sizes)
            {
                var label = Label(size);
                var wanted = size == 0 ? relayPairs : Math.Max(relayPairs, (size == BenchSettings.MaxSize ? fit : size) / 2);
                var result = context.NewResult(Name, label, repeat);
                result.OperationUnit = "message";
                results.Add(result);
                if (size != 0 && 2 * wanted > fit)
                {
                    result.Unsupported = $"{2 * wanted:N0} sockets do not fit under the server's descriptor limit ({descriptorLimit:N0}) or socket cap ({server.SocketCap?.ToString("N0", CultureInfo.InvariantCulture) ?? "none"}): {fit:N0} sockets at most";
                    continue;
                }
                if (wanted <= held.Sum() && size != 0)
                {
                    result.Unsupported = $"{label}: {2 * wanted:N0} sockets, no more than the size before";
                    continue;
                }

                // Up to this size: every worker to its even share (never fewer than it holds: shares only grow).
                var targets = Split(wanted, workers.Count);
                if (ProcFs.DescriptorLimit(workers[0].Pid) is { } workerLimit && 2 * targets[0] + DescriptorHeadroom > workerLimit)
                {
                    result.Unsupported = $"{2 * targets[0]:N0} sockets per worker do not fit under a worker's descriptor limit ({workerLimit:N0}): use more --scale-workers";
                    continue;
                }
                var adds = targets.Select((t, k) => Math.Max(0, t - held[k])).ToArray();
                var added = adds.Sum();
                var connectCpu = CpuWindow.Start(pid);
                var started = Stopwatch.GetTimestamp();
                ConnectReply[] connects;
                using (progress.Show($"{kind.Name()} scale {label}", () => $"connecting {added:N0} pairs"))
                    connects = await Task.WhenAll(workers.Select((w, k) => w.AskAsync<ConnectReply>($"connect {adds[k]}",
                        TimeSpan.FromSeconds(60 + adds[k] / 10.0), cancel)));
                var connectSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
                var connectUsage = connectCpu.Stop();
                for (var k = 0; k < workers.Count; k++) held[k] += connects[k].Made;
                var made = connects.Sum(c => c.Made);
                var failed = connects.Sum(c => c.Failed);
                if (failed > 0) result.Warnings.Add($"{failed} pairings failed: {connects.First(c => c.FirstError is not null).FirstError}");
                if (size == 0 && made < relayPairs) throw new BenchException($"only {made} of {relayPairs} relaying pairs paired");

                // Let the server finish what the connects started, then read memory after a full GC.
                await QuietWait.UntilServerIdleAsync(pid, TimeSpan.FromSeconds(settings.Smoke ? 2 : 30), cancel);
                await Task.Delay(TimeSpan.FromSeconds(settings.Smoke ? 0.5 : 2), cancel);
                var rssBeforeGc = ProcFs.RssKb(pid);
                var (heap, rss) = await MemoryProbe.CollectAsync(pid, settings.Smoke, cancel);
                var sockets = 2 * held.Sum();
                var descriptors = ProcFs.OpenDescriptors(pid);
                result.Memory = new MemoryFootprint(sockets, rssBase, rssBeforeGc, rss, heapBase, heap, threadsBase, ProcFs.ThreadCount(pid));

                // Idle: every socket open and quiet (each worker still reads, so keep-alive pings are answered).
                await context.PrepareWindowAsync(result);
                var idleCpu = CpuWindow.Start(pid);
                using (progress.Show($"{kind.Name()} scale {label}", () => $"{sockets:N0} sockets idle"))
                    await Task.Delay(TimeSpan.FromSeconds(settings.ScaleIdleSeconds), cancel);
                var idle = idleCpu.Stop();
                var statuses = await Task.WhenAll(workers.Select(w => w.AskAsync<StatusReply>("status", TimeSpan.FromSeconds(30), cancel)));
                var closedWhileIdle = statuses.Sum(s => s.ClosedByServer) - closedBefore;
                if (closedWhileIdle > 0) result.Warnings.Add($"{closedWhileIdle} sockets were closed by the server (or broke) before or while idle");

                progress.Say($"  {kind.Name()} scale {label}: {sockets:N0} sockets, {made / connectSeconds:N0} pairings/s, " +
                             $"RSS {result.Memory.RssPerSocketKb:0.00} KB/socket, heap {result.Memory.HeapPerSocketKb?.ToString("0.00", CultureInfo.InvariantCulture) ?? "?"} KB/socket, " +
                             $"idle {idle.ServerCores * 100:0.00}% of a core; relaying...");
                var relay = await ScaleRelay.RunAsync([.. workers.Select((w, k) => (w, relayShares[k]))], settings, pid, cancel);
                relay.ApplyTo(result);
                var after = await Task.WhenAll(workers.Select(w => w.AskAsync<StatusReply>("status", TimeSpan.FromSeconds(30), cancel)));
                result.ClosedByServer = after.Sum(s => s.ClosedByServer) - closedBefore;
                result.UnexpectedMessages = after.Sum(s => s.Unexpected);
                result.FirstUnexpectedMessage = after.Select(s => s.FirstUnexpected).FirstOrDefault(f => f is not null);
                closedBefore = after.Sum(s => s.ClosedByServer);
                result.Scale = new ScaleFigures(sockets, relayPairs, workers.Count, made,
                    made > 0 ? Math.Round(made / connectSeconds, 1) : null,
                    made > 0 && connectUsage.ServerCpu is { } c ? Math.Round(c * 1e6 / made, 1) : null,
                    failed, Math.Round(idle.Seconds, 2), idle.ServerCores is { } cores ? Math.Round(cores, 4) : null,
                    baseIdleCores is { } baseCores ? Math.Round(baseCores, 4) : null, descriptors, descriptorLimit, closedWhileIdle);
                progress.Say($"  relay p50 {result.Latency?.P50Us:N0} µs p99 {result.Latency?.P99Us:N0} µs, lost {result.Lost}");
            }
        }
        catch (Exception e) when (e is BenchException or HttpRequestException || (e is OperationCanceledException && !cancel.IsCancellationRequested))
        {
            progress.Say($"  FAILED: {e.Message}");
            var failedAt = results.LastOrDefault(r => r.Scale is null && r.Unsupported is null);
            if (failedAt is not null) failedAt.Failed = e.Message;
            else results.Add(new ScenarioResult { Target = kind.Name(), Scenario = Name, Variant = EmptyLabel, Repeat = repeat, Failed = e.Message });
        }
        finally
        {
            foreach (var worker in workers) await worker.DisposeAsync();
            if (server is not null) await server.DisposeAsync();
        }
        return results;
    }

    /// <summary><paramref name="total"/> over <paramref name="parts"/>, the first ones one more: shares of a larger total are never smaller.</summary>
    public static int[] Split(int total, int parts) =>
        [.. Enumerable.Range(0, parts).Select(k => total / parts + (k < total % parts ? 1 : 0))];
}
