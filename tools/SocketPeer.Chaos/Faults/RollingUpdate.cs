namespace SocketPeer.Chaos.Faults;

/// <summary>
/// A StatefulSet rollout (updateStrategy RollingUpdate): pods are replaced one at a time from the
/// highest ordinal down. For each: the pod leaves the Service's endpoints, preStop sleeps, SIGTERM,
/// SIGKILL at terminationGracePeriodSeconds, the new pod starts on the same name and ports, and the
/// rollout moves on once it has been ready for minReadySeconds.
/// </summary>
public static class RollingUpdate
{
    public static async Task RunAsync(FaultContext context, CancellationToken cancel)
    {
        var t = context.Settings.Rollout;
        for (var k = context.Cluster.Specs.Count - 1; k >= 0; k--)
        {
            context.Cluster.Endpoints.Remove(k);
            context.Record($"node-{k} out of endpoints, preStop {t.PreStopSeconds:0.#} s", k, disruptive: false);
            // The preStop sleep is part of what is rehearsed (the pod keeps serving meanwhile).
            await Task.Delay(TimeSpan.FromSeconds(t.PreStopSeconds), cancel);
            var stop = context.Record($"SIGTERM node-{k} (rollout)", k);
            await NodeFaults.StopGracefullyAsync(context, k, stop,
                TimeSpan.FromSeconds(Math.Max(1, t.TerminationGraceSeconds - t.PreStopSeconds)));
            var start = context.Record($"node-{k} started again", k, disruptive: false);
            await context.Cluster.RestartAsync(k, cancel);
            start.ReadyMs = context.Clock.Now - start.AtMs;
            context.Cluster.Endpoints.Restore(k);
            if (k > 0) await Task.Delay(TimeSpan.FromSeconds(t.MinReadySeconds), cancel);
        }
    }
}
