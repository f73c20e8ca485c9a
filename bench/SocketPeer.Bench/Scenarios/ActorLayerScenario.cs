using SocketPeer.Bench.Cli;
using SocketPeer.Bench.Client;
using SocketPeer.Bench.Measurement;
using SocketPeer.Bench.Reporting;
using SocketPeer.Bench.Scale;

namespace SocketPeer.Bench.Scenarios;

/// <summary>
/// The actor layer alone, part of the scale scenario: <see cref="BenchSettings.ActorSessions"/> sessions
/// in one node, driven in-process without sockets (<see cref="ActorWorker"/>, a process of its own so it
/// is measured from outside like the servers): attached, then paired into half as many rooms, idle, then
/// <see cref="BenchSettings.ScaleRelayPairs"/> pairs relaying at <see cref="BenchSettings.Rate"/>.
/// Memory per session and per room after full GCs; latency from each message's scheduled send to its
/// delivery at the receiving session's connection.
/// </summary>
public static class ActorLayerScenario
{
    public const string Name = "scale-actors";
    public const string TargetName = "actors";
    private static readonly TimeSpan PhaseTimeout = TimeSpan.FromMinutes(11);

    public static async Task<ScenarioResult> RunAsync(BenchSettings settings, ProgressLine progress, int repeat, CancellationToken cancel)
    {
        var result = new ScenarioResult { Target = TargetName, Scenario = Name, Repeat = repeat, OperationUnit = "message" };
        var sessions = settings.ActorSessions;
        progress.Say($"actor layer alone: {sessions:N0} sessions, repeat {repeat}");
        // Server GC, as the gateway runs (the Web SDK's default); this harness itself runs workstation GC.
        var worker = WorkerProcess.Start("actors-worker", [], new Dictionary<string, string?> { ["DOTNET_gcServer"] = "1" });
        try
        {
            var pid = worker.Pid;
            await worker.ReadyAsync(TimeSpan.FromMinutes(2), cancel);
            var idleWait = TimeSpan.FromSeconds(settings.Smoke ? 2 : 30);
            await QuietWait.UntilServerIdleAsync(pid, idleWait, cancel);
            var (heapBase, rssBase) = await MemoryProbe.CollectAsync(pid, settings.Smoke, cancel);

            ConnectReply attach;
            using (progress.Show("actors", () => $"attaching {sessions:N0} sessions"))
                attach = await worker.AskAsync<ConnectReply>($"attach {sessions}", PhaseTimeout, cancel);
            await QuietWait.UntilServerIdleAsync(pid, idleWait, cancel);
            var (heapAttached, rssAttached) = await MemoryProbe.CollectAsync(pid, settings.Smoke, cancel);

            ConnectReply pair;
            using (progress.Show("actors", () => $"pairing {sessions / 2:N0} rooms"))
                pair = await worker.AskAsync<ConnectReply>("pair", PhaseTimeout, cancel);
            await QuietWait.UntilServerIdleAsync(pid, idleWait, cancel);
            var (heapPaired, rssPaired) = await MemoryProbe.CollectAsync(pid, settings.Smoke, cancel);
            if (attach.Failed > 0) result.Warnings.Add($"{attach.Failed} sessions never said where they are");
            if (pair.Failed > 0) result.Warnings.Add($"{pair.Failed} pairs never heard peer.found");

            await QuietWait.UntilServerIdleAsync(pid, idleWait, cancel);
            var idleCpu = CpuWindow.Start(pid);
            await Task.Delay(TimeSpan.FromSeconds(settings.ScaleIdleSeconds), cancel);
            var idle = idleCpu.Stop();

            result.ActorLayer = new ActorLayerFigures(attach.Made, pair.Made, rssBase, rssAttached, rssPaired, heapBase, heapAttached, heapPaired,
                attach.Seconds > 0 ? Math.Round(attach.Made / attach.Seconds, 1) : null, pair.Seconds > 0 ? Math.Round(pair.Made / pair.Seconds, 1) : null,
                Math.Round(idle.Seconds, 2), idle.ServerCores is { } cores ? Math.Round(cores, 4) : null);
            progress.Say($"  {attach.Made:N0} sessions ({result.ActorLayer.AttachesPerSecond:N0}/s), {pair.Made:N0} rooms ({result.ActorLayer.PairingsPerSecond:N0}/s): " +
                         $"heap {result.ActorLayer.HeapPerSessionKb:0.000} KB/session, {result.ActorLayer.HeapPerRoomKb:0.000} KB/room; relaying...");

            var relay = await ScaleRelay.RunAsync([(worker, Math.Min(settings.ScaleRelayPairs, pair.Made))], settings, pid, cancel);
            relay.ApplyTo(result);
            progress.Say($"  relay p50 {result.Latency?.P50Us:N0} µs p99 {result.Latency?.P99Us:N0} µs, lost {result.Lost}");
        }
        catch (Exception e) when (e is BenchException || (e is OperationCanceledException && !cancel.IsCancellationRequested))
        {
            progress.Say($"  FAILED: {e.Message}");
            result.Failed = e.Message;
        }
        finally
        {
            await worker.DisposeAsync();
        }
        return result;
    }
}
