using System.Globalization;
using SocketPeer.Actors.Cluster;
using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Sessions;
using SocketPeer.Chaos.Cli;
using SocketPeer.Chaos.Client;
using SocketPeer.Chaos.Faults;
using SocketPeer.Chaos.Report;
using SocketPeer.Chaos.Runner;
using Xunit.Abstractions;

namespace SocketPeer.Chaos.Tests;

/// <summary>
/// Original 2015 clients (no resume) through a kill -9 of one of three real gateway processes. They
/// cannot keep their messages, so the promise is about the pairs: every pair the kill touched pairs
/// again and relays both ways within 5 s (the cluster's timings explain why that holds), and nobody is told
/// <c>busy</c> on the way (a seat still held by a session that died with its node), which would
/// push the original client's back-off to 2, 4, 8 … s and lose pairs for the rest of the run.
/// </summary>
[Collection(NodeProcesses.Name)]
public sealed class OriginalClientsFaultRunTests(ITestOutputHelper output)
{
    /// <summary>The promise (docs/failover.md, "Dead seats"): every touched pair relays again within 5 s.</summary>
    private static readonly TimeSpan Promise = TimeSpan.FromSeconds(5);

    /// <summary>What the slower path must leave of <see cref="Promise"/> for a loaded machine and the first message each way.</summary>
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(1.5);

    /// <summary>
    /// The worst a touched pair should wait by the cluster's timings, the slower of its two paths.
    /// Its room lived on: the client's first reconnect waits its 1 s back-off, and the seat its lost
    /// session held is vacant at once (the connection is lost) or, at worst, at the seat check's
    /// deadline. Its room died with the node: a survivor finds the crashed process's port refusing
    /// connections and quarantines and downs it, the leader removes it (a gossip round and a leader
    /// tick) and, after the removal margin, the shard gets a new home, which the next join retry
    /// finds. With the defaults: max(1 + 2, 0.3 + 0.25 + 1 + 0.5) = 3 s.
    /// </summary>
    private static TimeSpan WorstPath()
    {
        var timings = new ClusterTimings(); // the nodes run with the defaults: the harness overrides none
        var roomLivedOn = ReconnectBackOff.Base + RoomActor.SeatCheckDeadline;
        var roomDied = timings.GossipInterval + timings.LeaderActionsInterval + timings.DownRemovalMargin + SessionSettings.JoinRetry;
        return roomLivedOn > roomDied ? roomLivedOn : roomDied;
    }

    [Fact]
    public void The_default_timings_keep_the_slower_path_well_within_the_promise() =>
        Assert.True(WorstPath() + Margin <= Promise, $"worst path {WorstPath()} + margin {Margin} exceeds {Promise}");

    [Fact]
    public async Task Original_clients_all_pair_again_soon_after_a_killed_node_and_never_hear_busy()
    {
        var bound = Promise;
        var settings = new ChaosSettings
        {
            Nodes = 3,
            // 60 pairs, so that 40 are touched and a per-seat race has many chances to show.
            Pairs = 60,
            Fault = FaultKind.Kill9,
            Clients = ClientMode.Original,
            OriginalBoundSeconds = bound.TotalSeconds,
            Seconds = 20, // the kill comes after ~6.7 s of traffic, then at least the settle time
            Rate = 4,
            SettleSeconds = 10,
            DrainSeconds = 5,
            MaxMinutes = 4,
        };

        var report = await ChaosRun.RunAsync(settings, "test kill9 original clients", line => output.WriteLine(line), CancellationToken.None);
        output.WriteLine(ReportText.Render(report));

        Assert.Null(report.Error);
        Assert.All(report.Nodes, n => Assert.False(FaultRunTests.IsAlive(n.Pid), $"{n.Node} (pid {n.Pid}) outlived the run"));
        var original = Assert.Single(report.ByKind);
        Assert.Equal(ClientKind.Original, original.Kind);
        Assert.True(original.TouchedPairs > 0, "the kill touched no pair");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"original clients: fault to relaying again p99 {original.OutageP99Ms / 1000:0.00} s (max {original.OutageMaxMs / 1000:0.00} s) over {original.TouchedPairs} touched pairs; bound {bound.TotalSeconds:0.0} s"));

        Assert.True(original.BusyToTouched == 0, $"{original.BusyToTouched} busy answers to clients of touched pairs");
        Assert.True(original.PairsLost.Count == 0, $"pairs lost: {string.Join(", ", original.PairsLost)}");
        var late = original.Outages.Where(o => o.Ms is null || o.Ms > bound.TotalMilliseconds).ToList();
        Assert.True(late.Count == 0, string.Create(CultureInfo.InvariantCulture,
            $"{late.Count} pairs not back within {bound.TotalSeconds:0.0} s: {string.Join(", ", late.Select(o => $"{o.Pair} ({(o.Ms is { } ms ? $"{ms / 1000:0.00} s" : "never")})"))}"));
        var broken = report.Broken.Select(p => $"{p.Name}: {p.Detail}").ToList();
        Assert.True(broken.Count == 0, "broken promises:\n" + string.Join("\n", broken));
    }
}
