using SocketPeer.Actors.Sessions;
using SocketPeer.Cluster.Tests.Infrastructure;
using SocketPeer.Testing;

namespace SocketPeer.Cluster.Tests;

public sealed class PlacementTests(ThreeNodeFixture fixture) : IClassFixture<ThreeNodeFixture>
{
    private TestCluster Cluster => fixture.Cluster;

    [Fact]
    public void The_nodes_speak_mutual_TLS()
    {
        // TestCluster turns cluster TLS on, so every multi-node scenario here runs over it.
        Assert.All(Cluster.Nodes, node => Assert.Equal(Actors.Cluster.ClusterSettings.TlsProtocol, node.ClusterAddress.Protocol));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(2, 0)]
    public async Task Two_clients_on_different_nodes_pair_and_relay_both_ways(int nodeOfA, int nodeOfB)
    {
        var code = Codes.New();
        await using var a = await Cluster[nodeOfA].ConnectAsync();
        await using var b = await Cluster[nodeOfB].ConnectAsync();

        await a.PairAsync(code);
        await b.PairAsync(code);

        // Both joins race to the room's node, so either may arrive first; exactly one initiates.
        var aInitiates = (await a.ExpectAsync("peer.found")).GetProperty("data").GetProperty("initiator").GetBoolean();
        var bInitiates = (await b.ExpectAsync("peer.found")).GetProperty("data").GetProperty("initiator").GetBoolean();
        Assert.NotEqual(aInitiates, bInitiates);
        await Pairs.AssertRelaysAsync(a, b);
        await Pairs.AssertRelaysAsync(b, a);
    }

    [Fact]
    public async Task Each_session_entity_runs_on_the_node_that_holds_its_socket()
    {
        var clients = new List<(int Node, TestClient Client)>();
        try
        {
            for (var i = 0; i < 4; i++)
                for (var node = 0; node < Cluster.Nodes.Count; node++)
                    clients.Add((node, await Cluster[node].ConnectAsync()));
            // Sessions start with the socket (AttachConnection); make them busy across nodes too.
            for (var i = 0; i + 1 < clients.Count; i += 2)
            {
                var code = Codes.New();
                await clients[i].Client.PairAsync(code);
                await clients[i + 1].Client.PairAsync(code);
                await clients[i].Client.ExpectAsync("peer.found");
                await clients[i + 1].Client.ExpectAsync("peer.found");
                await Pairs.AssertRelaysAsync(clients[i].Client, clients[i + 1].Client);
            }

            var entities = await Task.WhenAll(Cluster.Nodes.Select(n => n.SessionEntitiesAsync()));

            foreach (var (node, client) in clients)
            {
                Assert.Contains(client.SessionId, entities[node]);
                for (var other = 0; other < entities.Length; other++)
                    if (other != node)
                        Assert.DoesNotContain(client.SessionId, entities[other]);
            }
        }
        finally
        {
            foreach (var (_, client) in clients) await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_node_hosts_only_the_session_shards_of_its_own_key()
    {
        await using var a = await Cluster[1].ConnectAsync();
        var key = new SessionId(a.SessionId).Node;

        Assert.NotNull(key);
        var shards = await Cluster[1].SessionShardsAsync();
        Assert.NotEmpty(shards);
        Assert.All(shards, shard => Assert.StartsWith(key!.Value.Value + "-", shard));
    }
}
