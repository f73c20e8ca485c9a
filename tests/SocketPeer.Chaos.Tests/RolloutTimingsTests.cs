using SocketPeer.Chaos.Deploy;

namespace SocketPeer.Chaos.Tests;

/// <summary>The rehearsal reads its timings from the production overlay as kubectl renders it.</summary>
public sealed class RolloutTimingsTests
{
    [Fact]
    public void The_production_overlay_gives_preStop_grace_shutdown_timeout_and_minReady()
    {
        var timings = RolloutTimingsReader.Read("deploy/k8s/overlays/production");

        Assert.Equal(5, timings.PreStopSeconds);
        Assert.Equal(40, timings.TerminationGraceSeconds);
        Assert.Equal(25, timings.ShutdownTimeoutSeconds);
        Assert.Equal(10, timings.MinReadySeconds);
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
