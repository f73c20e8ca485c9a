using SocketPeer.Chaos.Cli;
using SocketPeer.Chaos.Faults;
using SocketPeer.Chaos.Report;
using SocketPeer.Chaos.Runner;
using Xunit.Abstractions;

namespace SocketPeer.Chaos.Tests;

/// <summary>
/// The harness's core against three real gateway processes, one fault each, small numbers. Each run
/// kills every process it started before it returns (and the harness kills them at process exit),
/// and is bounded by <see cref="ChaosSettings.MaxMinutes"/>. The promises asserted are the ones the
/// command line checks: nothing lost, duplicated or reordered at the application level, no pair
/// lost, pairings kept, graceful stops exit 0 and close their sockets with 1012.
/// </summary>
[Collection(NodeProcesses.Name)]
public sealed class FaultRunTests(ITestOutputHelper output)
{
    [Fact]
    public Task A_killed_node_loses_no_message_and_no_pair() => RunAndAssertAsync(Small(FaultKind.Kill9));

    /// <summary>
    /// As the production overlay runs the cluster: with TLS, a crash's dropped connections and the
    /// survivors' reconnection attempts go through TLS handshakes, and Akka.Remote stops a node whose
    /// outbound handshake fails (docs/failover.md, "Known limit"). A killed process refuses them, so no
    /// survivor may stop: every node but the killed one runs to the end.
    /// </summary>
    [Fact]
    public async Task A_killed_node_with_cluster_TLS_on_loses_no_message_and_no_survivor_stops()
    {
        var report = await RunAndAssertAsync(Small(FaultKind.Kill9, settings => settings.ClusterTls = true));

        var victim = $"node-{report.Settings.VictimOrdinal}";
        Assert.All(report.Nodes.Where(n => n.Node != victim), n => Assert.StartsWith("running at the end", n.Outcome));
    }

    [Fact]
    public Task A_node_stopped_with_SIGTERM_loses_no_message_and_exits_cleanly() => RunAndAssertAsync(Small(FaultKind.Sigterm));

    [Fact]
    public Task A_rolling_restart_of_every_node_loses_no_message() => RunAndAssertAsync(Small(FaultKind.Rolling, settings =>
    {
        // The order and the signals of a StatefulSet rollout, with shorter waits between pods.
        settings.Rollout = new RolloutTimings { PreStopSeconds = 0.5, MinReadySeconds = 1, TerminationGraceSeconds = 25, ShutdownTimeoutSeconds = 15, Source = "test" };
    }));

    private static ChaosSettings Small(FaultKind fault, Action<ChaosSettings>? tweak = null)
    {
        var settings = new ChaosSettings
        {
            Nodes = 3,
            Pairs = 12,
            Fault = fault,
            Seconds = 6,
            Rate = 5,
            // Recovery from a crash is the node's removal (~8.5 s with the cluster timings) plus a resume.
            SettleSeconds = 15,
            DrainSeconds = 10,
            MaxMinutes = 4,
        };
        tweak?.Invoke(settings);
        return settings;
    }

    private async Task<ChaosReport> RunAndAssertAsync(ChaosSettings settings)
    {
        var report = await ChaosRun.RunAsync(settings, $"test {settings.Fault}", line => output.WriteLine(line), CancellationToken.None);
        output.WriteLine(ReportText.Render(report));

        Assert.Null(report.Error);
        Assert.All(report.Nodes, n => Assert.False(IsAlive(n.Pid), $"{n.Node} (pid {n.Pid}) outlived the run"));
        Assert.True(report.Messages.Sent > 0, "no traffic");
        Assert.True(report.Events.Count > 0, "no fault injected");
        var broken = report.Broken.Select(p => $"{p.Name}: {p.Detail}").ToList();
        Assert.True(broken.Count == 0, "broken promises:\n" + string.Join("\n", broken));
        return report;
    }

    internal static bool IsAlive(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}

/// <summary>Runs that start node processes go one at a time: each wants most of the machine.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NodeProcesses
{
    public const string Name = "node processes";
}
