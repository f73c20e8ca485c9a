namespace SocketPeer.Chaos.Faults;

/// <summary>
/// One node cut off from the other nodes (its clients still reach it) for a while, then healed.
/// Keep-majority downs it; a downed node stops, and is started again after the heal, as the
/// kubelet would restart its container.
/// </summary>
public static class Partition
{
    public static async Task RunAsync(FaultContext context, CancellationToken cancel)
    {
        var k = context.Settings.VictimOrdinal;
        var lab = context.Cluster.Lab ?? throw new InvalidOperationException("a partition run needs its network namespaces");
        context.Record($"partition: node-{k} cut off from the other nodes", k);
        lab.Cut(k);
        await Task.Delay(TimeSpan.FromSeconds(context.Settings.PartitionSeconds), cancel);
        lab.Heal();
        var heal = context.Record("partition healed", k, disruptive: false);
        var node = context.Cluster[k]!;
        // Either it is still a member and ready, or it was downed and stops; wait for one of the two.
        var exited = await node.WaitExitAsync(TimeSpan.FromSeconds(30));
        heal.Outcome = exited ? $"node-{k} had stopped: {node.Outcome}" : $"node-{k} still running";
        if (exited)
        {
            var start = context.Record($"node-{k} started again", k, disruptive: false);
            await context.Cluster.RestartAsync(k, cancel);
            start.ReadyMs = context.Clock.Now - start.AtMs;
        }
    }
}
