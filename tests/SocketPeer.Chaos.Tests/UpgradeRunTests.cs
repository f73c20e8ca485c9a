using SocketPeer.Chaos.Cli;
using SocketPeer.Chaos.Client;
using SocketPeer.Chaos.Faults;
using SocketPeer.Chaos.Nodes;
using SocketPeer.Chaos.Report;
using SocketPeer.Chaos.Runner;
using Xunit.Abstractions;

namespace SocketPeer.Chaos.Tests;

/// <summary>
/// A rolling update from the previous release (the commit in tools/SocketPeer.Chaos/previous-release)
/// to this build, with both kinds of client (docs/operations.md, "Upgrading"): three nodes start on
/// the old gateway, the rollout restarts each on this one, and every promise of the rolling fault
/// holds across the two. The old gateway is built once per commit and machine (ReleaseBuilds' cache).
/// </summary>
[Collection(NodeProcesses.Name)]
public sealed class UpgradeRunTests(ITestOutputHelper output)
{
    [PreviousReleaseFact]
    public async Task A_rolling_update_from_the_previous_release_loses_no_message_and_no_pair()
    {
        var settings = new ChaosSettings
        {
            Nodes = 3,
            Pairs = 8,
            Fault = FaultKind.Rolling,
            // Every other pair the 2015 client: the wire protocol must hold across the releases for both.
            Clients = ClientMode.Mixed,
            UpgradeFromCommit = ReleaseBuilds.PreviousAlias,
            Seconds = 6,
            Rate = 5,
            SettleSeconds = 15,
            DrainSeconds = 10,
            MaxMinutes = 4,
            Rollout = new RolloutTimings { PreStopSeconds = 0.5, MinReadySeconds = 1, TerminationGraceSeconds = 25, ShutdownTimeoutSeconds = 15, Source = "test" },
        };

        var report = await ChaosRun.RunAsync(settings, "test upgrade from the previous release", line => output.WriteLine(line), CancellationToken.None);
        output.WriteLine(ReportText.Render(report));

        Assert.Null(report.Error);
        Assert.All(report.Nodes, n => Assert.False(FaultRunTests.IsAlive(n.Pid), $"{n.Node} (pid {n.Pid}) outlived the run"));
        // Each node ran the old build first and this one after its restart.
        var previous = ReleaseBuilds.FullHash(ReleaseBuilds.PreviousRelease())!;
        Assert.Equal(3, report.Nodes.Count(n => n.Build == previous[..7]));
        Assert.Equal(3, report.Nodes.Count(n => n.Build == "current"));
        Assert.Equal(2, report.ByKind.Count);
        Assert.True(report.ByKind.All(k => k.TouchedPairs > 0), "the rollout touched no pair of some kind");
        var broken = report.Broken.Select(p => $"{p.Name}: {p.Detail}").ToList();
        Assert.True(broken.Count == 0, "broken promises:\n" + string.Join("\n", broken));
    }

    [Fact]
    public void An_upgrade_is_a_rolling_fault_from_one_old_build()
    {
        Assert.Throws<ArgumentException>(() => ChaosSettings.Parse(["--upgrade-from-commit", "previous"]));
        Assert.Throws<ArgumentException>(() => ChaosSettings.Parse(["--fault", "rolling", "--upgrade-from", "/tmp/old", "--upgrade-from-commit", "previous"]));
        var settings = ChaosSettings.Parse(["--fault", "rolling", "--upgrade-from-commit", "previous"]);
        Assert.True(settings.IsUpgrade);
    }

    [Fact]
    public void The_previous_release_file_names_one_commit()
    {
        var commit = ReleaseBuilds.PreviousRelease();
        Assert.Matches("^[0-9a-f]{7,40}$", commit);
    }
}

/// <summary>
/// Runs when this clone has the previous release's commit in its history; skipped, saying why, where
/// it has not (a shallow clone: <c>git fetch --unshallow</c>).
/// </summary>
public sealed class PreviousReleaseFactAttribute : FactAttribute
{
    public PreviousReleaseFactAttribute()
    {
        var commit = ReleaseBuilds.PreviousRelease();
        if (ReleaseBuilds.FullHash(commit) is null)
            Skip = $"the previous release {commit} ({ReleaseBuilds.PreviousReleaseFile}) is not in this clone's history (a shallow clone? git fetch --unshallow)";
    }
}
