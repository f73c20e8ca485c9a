using SocketPeer.Deploy.Tests.Infrastructure;

namespace SocketPeer.Deploy.Tests;

/// <summary>
/// A pod that is told to stop gets to finish: the preStop sleep lets the endpoints drop it, then
/// SIGTERM closes every socket with 1012 and the node leaves the cluster within the host's shutdown
/// timeout, all before the grace period ends in SIGKILL (docs/kubernetes.md, "Timing").
/// </summary>
public class ShutdownTests
{
    /// <summary>Between the host's own deadline and SIGKILL: process exit, log flushing.</summary>
    private static readonly TimeSpan ExitMargin = TimeSpan.FromSeconds(5);

    /// <summary>
    /// What stopping needs besides closing sockets: handing shards off and leaving the cluster.
    /// Measured on a 3-node cluster (docs/failover.md): 0.1–0.3 s hand-off, then ~2.3 s until the
    /// others have removed the node; twice that with room to spare.
    /// </summary>
    private static readonly TimeSpan ClusterLeaveBudget = TimeSpan.FromSeconds(8);

    [Theory]
    [MemberData(nameof(Rendering.All), MemberType = typeof(Rendering))]
    public void The_grace_period_covers_preStop_and_the_host_shutdown(string kustomization)
    {
        var rendering = Rendering.Of(kustomization);
        var preStop = PreStopSleep(rendering);
        var shutdown = GatewayHost.Of(rendering, 0).Host.ShutdownTimeout;
        var grace = TimeSpan.FromSeconds(rendering.Pod.TerminationGracePeriodSeconds ?? 30);

        Assert.True(grace >= preStop + shutdown + ExitMargin,
            $"{kustomization}: grace {grace.TotalSeconds} s < preStop {preStop.TotalSeconds} s + shutdown {shutdown.TotalSeconds} s + margin {ExitMargin.TotalSeconds} s.");
    }

    [Theory]
    [MemberData(nameof(Rendering.All), MemberType = typeof(Rendering))]
    public void The_host_shutdown_timeout_is_set_and_covers_closing_the_sockets(string kustomization)
    {
        var rendering = Rendering.Of(kustomization);
        var environment = PodEnvironment.Of(rendering, 0);
        var gateway = GatewayHost.Of(rendering, 0);

        // Set explicitly (the host reads shutdownTimeoutSeconds; "HostOptions__ShutdownTimeout" is no setting).
        Assert.True(environment.TryGetValue("DOTNET_SHUTDOWNTIMEOUTSECONDS", out var seconds), $"{kustomization}: DOTNET_SHUTDOWNTIMEOUTSECONDS is not set.");
        Assert.Equal(TimeSpan.FromSeconds(int.Parse(seconds!)), gateway.Host.ShutdownTimeout);
        Assert.True(gateway.Host.ShutdownTimeout >= gateway.Options.CloseTimeout + ClusterLeaveBudget,
            $"{kustomization}: shutdown {gateway.Host.ShutdownTimeout} leaves too little after CloseTimeout {gateway.Options.CloseTimeout}.");
    }

    [Theory]
    [MemberData(nameof(Rendering.All), MemberType = typeof(Rendering))]
    public void PreStop_sleeps_without_a_sleep_binary(string kustomization)
    {
        // The lifecycle sleep action (Kubernetes 1.30+) needs nothing in the image; a chiseled
        // aspnet image has no /bin/sleep for an exec hook.
        var rendering = Rendering.Of(kustomization);

        Assert.Null(rendering.Container.Lifecycle.PreStop.Exec);
        var sleep = PreStopSleep(rendering);
        Assert.InRange(sleep, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(15));
    }

    [Theory]
    [MemberData(nameof(Rendering.All), MemberType = typeof(Rendering))]
    public void A_stopping_pod_leaves_the_ready_set_quickly(string kustomization)
    {
        // A pod whose node left the cluster fails /ready; clients should stop landing on it within seconds.
        var readiness = Rendering.Of(kustomization).Container.ReadinessProbe;

        Assert.True((readiness.PeriodSeconds ?? 10) * (readiness.FailureThreshold ?? 3) <= 15);
    }

    private static TimeSpan PreStopSleep(Rendering rendering)
    {
        var sleep = rendering.Container.Lifecycle?.PreStop?.Sleep;
        Assert.True(sleep is not null, $"{rendering}: no preStop sleep.");
        return TimeSpan.FromSeconds(sleep!.Seconds);
    }
}
