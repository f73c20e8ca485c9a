namespace SocketPeer.Chaos.Faults;

/// <summary>kill9 and sigterm: one node goes, for good (nothing restarts it during the run).</summary>
public static class NodeFaults
{
    public static Task Kill9Async(FaultContext context)
    {
        var k = context.Settings.VictimOrdinal;
        var node = context.Cluster[k]!;
        var sent = context.Clock.Now;
        node.Kill9();
        // The fault's instant is the process's death, not the signal: until it is reaped it may
        // still relay, and messages it relayed would look like a recovery.
        var e = context.Record($"SIGKILL node-{k}", k);
        e.StopMs = e.AtMs - sent;
        // Its clients' sockets are reset at the signal: those drops belong to this fault too.
        e.EffectFromMs = sent;
        e.Outcome = node.Outcome;
        return Task.CompletedTask;
    }

    public static async Task SigtermAsync(FaultContext context)
    {
        var k = context.Settings.VictimOrdinal;
        var e = context.Record($"SIGTERM node-{k}", k);
        await StopGracefullyAsync(context, k, e, TimeSpan.FromSeconds(context.Settings.Rollout.ShutdownTimeoutSeconds + 15));
    }

    /// <summary>SIGTERM, then SIGKILL if the node is still there after <paramref name="grace"/>, as the kubelet does.</summary>
    public static async Task StopGracefullyAsync(FaultContext context, int k, Report.FaultEvent e, TimeSpan grace)
    {
        var node = context.Cluster[k]!;
        node.Terminate();
        if (!await node.WaitExitAsync(grace))
        {
            context.Say($"node-{k} still running {grace.TotalSeconds:0} s after SIGTERM: SIGKILL");
            node.Kill9();
            e.Outcome = $"SIGKILL after {grace.TotalSeconds:0} s grace";
        }
        else
        {
            e.Outcome = node.Outcome;
        }
        e.StopMs = context.Clock.Now - e.AtMs;
    }
}
