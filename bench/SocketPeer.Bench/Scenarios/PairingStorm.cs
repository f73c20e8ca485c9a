using SocketPeer.Bench.Measurement;
using SocketPeer.Bench.Reporting;

namespace SocketPeer.Bench.Scenarios;

/// <summary>
/// N pairs connect and pair as fast as a bounded number of connects in flight allows. An operation is
/// one pairing: two TCP connects, two upgrades, and both ends told of each other. The window is the
/// storm itself, after a smaller warm-up storm.
/// </summary>
public static class PairingStorm
{
    public const string Name = "pairing";

    public static async Task<ScenarioResult> RunAsync(ScenarioContext context, int repeat)
    {
        var result = context.NewResult(Name, repeat: repeat);
        result.OperationUnit = "pairing";
        var count = context.Settings.StormPairs;

        var warmup = await PairPool.ConnectAsync(context, Math.Clamp(count / 10, 10, 200), context.Tag + "w");
        await PairPool.DisposeAllAsync(warmup.Pairs);
        await context.PrepareWindowAsync(result);

        var latency = new LatencyHistogram();
        var done = 0;
        var cpu = CpuWindow.Start(context.Target.Pid);
        (List<Client.PeerPair> Pairs, int Failed, string? FirstError) storm;
        using (context.Progress.Show($"{context.Target.Name} {Name}", () => $"{Volatile.Read(ref done):N0}/{count:N0} pairs"))
            storm = await PairPool.ConnectAsync(context, count, context.Tag, latency, () => Interlocked.Increment(ref done));
        var usage = cpu.Stop();
        try
        {
            result.Account(usage, storm.Pairs.Count);
            result.Latency = latency.Summarize();
            result.Lost = storm.Failed;
            if (storm.Failed > 0) result.Warnings.Add($"{storm.Failed} pairings failed: {storm.FirstError}");
        }
        finally
        {
            await PairPool.DisposeAllAsync(storm.Pairs);
        }
        return result;
    }
}
