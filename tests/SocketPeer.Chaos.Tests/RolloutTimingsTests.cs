using SocketPeer.Chaos.Deploy;

namespace SocketPeer.Chaos.Tests;

/// <summary>The rehearsal reads its timings from the production overlay as kubectl renders it.</summary>
public sealed class RolloutTimingsTests
{
    [Fact]
    public void The_production_overlay_gives_preStop_grace_shutdown_timeout_and_minReady()
    {
        var timings = RolloutTimingsReader.Read("deploy/k8s/overlays/production");

        // The values are the cluster work's to tune; what the rehearsal needs is that all were found.
        Assert.Equal(5, timings.PreStopSeconds);
        Assert.True(timings.ShutdownTimeoutSeconds is > 0 and not 30, "DOTNET_SHUTDOWNTIMEOUTSECONDS not read (30 is ASP.NET Core's default)");
        Assert.True(timings.TerminationGraceSeconds is > 0 and not 30, "terminationGracePeriodSeconds not read (30 is Kubernetes' default)");
        Assert.True(timings.MinReadySeconds > 0, "minReadySeconds not read");
        Assert.True(timings.TerminationGraceSeconds >= timings.PreStopSeconds + timings.ShutdownTimeoutSeconds);
    }

    [Fact]
    public void Missing_values_fall_back_to_the_platform_defaults()
    {
        const string yaml = """
            apiVersion: apps/v1
            kind: StatefulSet
            spec:
              template:
                spec:
                  containers:
                    - name: socketpeer
            """;

        var timings = RolloutTimingsReader.Parse(yaml, "inline");

        Assert.Equal(30, timings.TerminationGraceSeconds); // Kubernetes
        Assert.Equal(30, timings.ShutdownTimeoutSeconds); // ASP.NET Core
        Assert.Equal(0, timings.PreStopSeconds);
        Assert.Equal(0, timings.MinReadySeconds);
    }
}
