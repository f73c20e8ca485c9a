using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using SocketPeer.Actors.Rooms;
using SocketPeer.Cluster.Tests.Infrastructure;
using SocketPeer.Testing;
using Xunit.Abstractions;

namespace SocketPeer.Cluster.Tests;

/// <summary>
/// Clients of the original protocol (no resume) through a crash, in-process: one client of a pair
/// was on the node that vanishes; it reconnects to a survivor and sends <c>pair</c> with the same
/// code, as the original client does. It must pair again with its partner, never hear <c>busy</c>,
/// whether the room lived on a survivor or died with the node (docs/failover.md, "Dead seats").
/// </summary>
public sealed class OriginalClientCrashTests(ITestOutputHelper output)
{
    /// <param name="batching">
    /// With relay batching on (<c>Cluster:RelayBatching</c>), the pair is one whose messages cross in
    /// batches both ways before the crash (<see cref="BatchedPairs"/>): the partner still hears
    /// <c>peer.left</c>, since its death watch is on the lost session's own ref, not on a batcher.
    /// </param>
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task The_client_of_a_crashed_node_pairs_again_with_its_partner(bool roomOnTheCrashedNode, bool batching)
    {
        await using var cluster = await TestCluster.StartAsync(3, ("SocketPeer:Cluster:RelayBatching:Enabled", batching ? "true" : "false"));
        var (survivor, other, crashing) = (cluster[0], cluster[1], cluster[2]);
        var (code, lost, partner) = batching
            ? await BatchedPairWithRoomAsync(crashing, survivor, roomOnTheCrashedNode)
            : await PairWithRoomAsync(crashing, survivor, roomOnTheCrashedNode);
        await using var _ = lost;
        await using var __ = partner;
        var timeline = new Timeline();

        timeline.Start();
        crashing.Crash();
        lost.Abort();

        await using var back = await other.ConnectAsync();
        await back.PairAsync(code);
        var found = await back.ExpectAsync("peer.found"); // never busy
        timeline.Mark("the returning client hears peer.found");
        await partner.ExpectAsync("peer.left");
        var partnerFound = await partner.ExpectAsync("peer.found");
        // Exactly one initiator. Which one depends on who reached the room last: the returning client
        // when the room lived on, either of them when a rebuilt room seated them both.
        Assert.NotEqual(found.GetProperty("data").GetProperty("initiator").GetBoolean(),
            partnerFound.GetProperty("data").GetProperty("initiator").GetBoolean());

        await back.SendAsync("data", "back");
        Assert.Equal("back", (await partner.ExpectAsync("data")).GetProperty("data").GetString());
        await partner.SendAsync("data", "welcome");
        Assert.Equal("welcome", (await back.ExpectAsync("data")).GetProperty("data").GetString());
        output.WriteLine(timeline.ToString());
    }

    /// <summary>
    /// A pair with one client on <paramref name="lostOn"/> and one on <paramref name="partnerOn"/>,
    /// on a code whose room lives on <paramref name="lostOn"/>, or on any other node (codes are tried
    /// until one lands as asked: the shard coordinator places rooms, not the test).
    /// </summary>
    private static async Task<(string Code, TestClient Lost, TestClient Partner)> PairWithRoomAsync(
        SocketPeerServer lostOn, SocketPeerServer partnerOn, bool roomWithTheLost)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var code = Codes.New();
            var lost = await lostOn.ConnectAsync();
            var partner = await partnerOn.ConnectAsync();
            await lost.PairAsync(code);
            await partner.PairAsync(code);
            await lost.ExpectAsync("peer.found");
            await partner.ExpectAsync("peer.found");
            if (await HostsRoomAsync(lostOn, code) == roomWithTheLost) return (code, lost, partner);
            await lost.DisposeAsync();
            await partner.DisposeAsync();
        }
        throw new InvalidOperationException("no code's room landed on the wanted node in 50 tries");
    }

    /// <summary><see cref="PairWithRoomAsync"/>, for a pair whose messages cross in batches both ways.</summary>
    private static async Task<(string Code, TestClient Lost, TestClient Partner)> BatchedPairWithRoomAsync(
        SocketPeerServer lostOn, SocketPeerServer partnerOn, bool roomWithTheLost)
    {
        var code = "";
        var (lost, partner) = await BatchedPairs.OpenAsync(async () =>
        {
            (code, var a, var b) = await PairWithRoomAsync(lostOn, partnerOn, roomWithTheLost);
            return (a, b);
        }, lostOn, partnerOn);
        return (code, lost, partner);
    }

    private static async Task<bool> HostsRoomAsync(SocketPeerServer node, string code)
    {
        var region = node.Services.GetRequiredService<ActorRegistry>().Get<RoomRegion>();
        var state = await region.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, TimeSpan.FromSeconds(5));
        return state.Shards.Any(s => s.EntityIds.Contains(code));
    }
}
