using SocketPeer.Cluster.Tests.Infrastructure;
using SocketPeer.Testing;

namespace SocketPeer.Cluster.Tests;

/// <summary>
/// Plain hashing (SocketPeer:Cluster:SessionPlacement=Hash), which the benchmark launches the gateway with
/// to measure Local against, still pairs and relays. Not a supported production option: resume and
/// succession are tested under Local only (docs/failover.md, Session placement).
/// </summary>
public sealed class HashPlacementTests
{
    [Fact]
    public async Task Under_hash_placement_sessions_spread_over_the_nodes_and_pairs_relay_across_them()
    {
        await using var cluster = await TestCluster.StartAsync(2, ("SocketPeer:Cluster:SessionPlacement", "Hash"));
        var clients = new List<TestClient>();
        try
        {
            for (var i = 0; i < 8; i++)
            {
                var code = Codes.New();
                var a = await cluster[0].ConnectAsync();
                var b = await cluster[1].ConnectAsync();
                clients.AddRange([a, b]);
                await a.PairAsync(code);
                await b.PairAsync(code);
                await a.ExpectAsync("peer.found");
                await b.ExpectAsync("peer.found");
                await Pairs.AssertRelaysAsync(a, b);
            }

            var onFirst = await cluster[0].SessionEntitiesAsync();
            var onSecond = await cluster[1].SessionEntitiesAsync();

            Assert.All(clients, c => Assert.True(onFirst.Contains(c.SessionId) ^ onSecond.Contains(c.SessionId)));
            // Where hashing puts a session is up to the allocation strategy (new shards tend to go to the
            // node that asks first when both hold as many), so which node holds which is not asserted.
        }
        finally
        {
            foreach (var client in clients) await client.DisposeAsync();
        }
    }
}
