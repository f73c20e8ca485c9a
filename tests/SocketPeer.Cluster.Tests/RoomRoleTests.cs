using SocketPeer.Cluster.Tests.Infrastructure;
using SocketPeer.Testing;

namespace SocketPeer.Cluster.Tests;

/// <summary>
/// SocketPeer:Cluster:RoomRole: rooms live only on the nodes with that role; a node without it starts a
/// room region proxy and still pairs its sockets, whose sessions stay with it (Local placement), and
/// its clients resume their pairings there.
/// </summary>
public sealed class RoomRoleTests
{
    private const string Role = "rooms";

    [Fact]
    public async Task A_pairing_through_a_node_without_the_room_role_has_its_room_on_a_node_with_it()
    {
        await using var cluster = await TestCluster.StartAsync(2, node => node == 0
            ? [("SocketPeer:Cluster:RoomRole", Role), ("SocketPeer:Cluster:Roles", Role)]
            : [("SocketPeer:Cluster:RoomRole", Role)]);
        var (host, gateway) = (cluster[0], cluster[1]);
        var clients = new List<TestClient>();
        var codes = new List<string>();
        try
        {
            // Several rooms: with every node a room host, some would land on the gateway.
            for (var i = 0; i < 4; i++)
            {
                var code = Codes.New();
                var a = await gateway.ConnectAsync();
                var b = await gateway.ConnectAsync();
                clients.AddRange([a, b]);
                codes.Add(code);
                await a.PairAsync(code);
                await b.PairAsync(code);
                await a.ExpectAsync("peer.found");
                await b.ExpectAsync("peer.found");
                await Pairs.AssertRelaysAsync(a, b);
                await Pairs.AssertRelaysAsync(b, a);
            }

            var rooms = await host.RoomEntitiesAsync();
            Assert.All(codes, code => Assert.Contains(code, rooms));
            Assert.Empty(await gateway.RoomEntitiesAsync());
            var sessions = await gateway.SessionEntitiesAsync();
            Assert.All(clients, client => Assert.Contains(client.SessionId, sessions));
            Assert.Empty(await host.SessionEntitiesAsync());
        }
        finally
        {
            foreach (var client in clients) await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_client_of_a_node_without_the_room_role_resumes_its_pairing_and_misses_nothing()
    {
        var secret = Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)(i * 11)).ToArray());
        await using var cluster = await TestCluster.StartAsync(2, node => node == 0
            ? [("SocketPeer:Cluster:RoomRole", Role), ("SocketPeer:Cluster:Roles", Role), ("SocketPeer:Resume:Secret", secret)]
            : [("SocketPeer:Cluster:RoomRole", Role), ("SocketPeer:Resume:Secret", secret)]);
        var (host, gateway) = (cluster[0], cluster[1]);
        var pair = await Resumable.PairAsync(gateway, gateway);
        var b = pair.B;
        await using var _ = b;

        // A's socket drops; B keeps sending; A comes back on the same node, its room on the other.
        pair.A.Abort();
        await b.SendAsync("data", "while away");
        await using var a = await gateway.ConnectAsync();
        await a.SendTextAsync(Resumable.Resume(pair.TokenA, seq: 0));
        Assert.Equal(pair.A.SessionId, (await a.ExpectAsync("session")).GetProperty("data").GetProperty("id").GetString());
        Assert.Equal("paired", (await a.ExpectAsync("resumed")).GetProperty("data").GetProperty("state").GetString());
        Assert.Equal("while away", (await a.ExpectAsync("data")).GetProperty("data").GetString());

        await a.SendTextAsync("""{"type":"data","data":"back","seq":1}""");
        Assert.Equal("back", (await b.ExpectSkippingTokensAsync("data")).GetProperty("data").GetString());
        await b.ExpectNothingPendingAsync(); // no peer.left ever reached B
        Assert.Empty(await gateway.RoomEntitiesAsync());
        Assert.NotEmpty(await host.RoomEntitiesAsync());
    }
}
