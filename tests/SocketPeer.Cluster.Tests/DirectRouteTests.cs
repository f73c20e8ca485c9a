using SocketPeer.Cluster.Tests.Infrastructure;
using SocketPeer.Testing;

namespace SocketPeer.Cluster.Tests;

/// <summary>
/// A session tells its partner's entity directly from the pairing on (the room names it in
/// <c>PeerFound</c>), not through the session shard region: also when its client relays the moment it
/// hears <c>peer.found</c>, before the partner's hello can have arrived, which on loopback it often
/// does (issue #18). Counted by <c>socketpeer_relays_routed_total</c>, relays sent through the region.
/// </summary>
public sealed class DirectRouteTests(ThreeNodeFixture fixture) : IClassFixture<ThreeNodeFixture>
{
    /// <summary>Pairs whose room lands on the node neither client is on, at the least.</summary>
    private const int RoomsOnAThirdNode = 3;

    private TestCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task Clients_relaying_at_once_on_peer_found_reach_their_partners_without_the_region()
    {
        var routedBefore = Routed();
        var clients = new List<TestClient>();
        try
        {
            // Both ends on one node: the bench's local figures.
            for (var i = 0; i < 4; i++)
                clients.AddRange(await PairRelayingAtOnceAsync(Cluster[2], Cluster[2]));

            // Across nodes, until enough rooms landed on the third node (rooms are hashed by code).
            var onThird = 0;
            for (var pairs = 0; onThird < RoomsOnAThirdNode; pairs++)
            {
                Assert.True(pairs < 100, $"only {onThird} of {pairs} rooms on the third node");
                var pair = await PairRelayingAtOnceAsync(Cluster[0], Cluster[1]);
                clients.AddRange(pair);
                if ((await Cluster[2].RoomEntitiesAsync()).Contains(pair[0].PairCode!)) onThird++;
            }

            Assert.Equal(routedBefore, Routed());
        }
        finally
        {
            foreach (var client in clients) await client.DisposeAsync();
        }
    }

    /// <summary>Pairs a client of <paramref name="nodeOfA"/> with one of <paramref name="nodeOfB"/>; each relays the moment it is paired.</summary>
    private static async Task<TestClient[]> PairRelayingAtOnceAsync(SocketPeerServer nodeOfA, SocketPeerServer nodeOfB)
    {
        var code = Codes.New();
        var a = await nodeOfA.ConnectAsync();
        var b = await nodeOfB.ConnectAsync();
        a.PairCode = b.PairCode = code;
        await a.PairAsync(code);
        await b.PairAsync(code);

        await Task.WhenAll(RelayOnPeerFoundAsync(a, "from a"), RelayOnPeerFoundAsync(b, "from b"));

        Assert.Equal("from b", (await a.ExpectAsync("data")).GetProperty("data").GetString());
        Assert.Equal("from a", (await b.ExpectAsync("data")).GetProperty("data").GetString());
        return [a, b];
    }

    private static async Task RelayOnPeerFoundAsync(TestClient client, string text)
    {
        await client.ExpectAsync("peer.found");
        await client.SendAsync("data", text);
    }

    private long Routed() => Cluster.Nodes.Sum(node => node.Metrics.RelaysThroughRegion);
}
