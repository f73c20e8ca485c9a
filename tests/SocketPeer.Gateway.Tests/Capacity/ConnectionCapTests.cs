using System.Net;
using SocketPeer.Gateway.Capacity;
using SocketPeer.Testing;

namespace SocketPeer.Gateway.Tests.Capacity;

/// <summary>A node at its configured socket cap: the excess gets 503 before the upgrade, the rest carries on.</summary>
public sealed class ConnectionCapTests
{
    [Fact]
    public async Task A_full_node_refuses_with_503_keeps_its_sockets_relaying_and_stays_ready()
    {
        await using var server = await SocketPeerServer.StartAsync(("SocketPeer:MaxConnections", "2"));
        var (a, b) = await Pairs.OpenAsync(server);
        await using var _ = a;
        await using var __ = b;

        using var refused = await Loopback.TryUpgradeAsync(server.Socket);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.Status);
        Assert.Equal("5", refused.RetryAfter);
        Assert.Equal(1, server.Metrics.RefusedFor(ConnectionGate.Sockets));
        await Pairs.AssertRelaysAsync(a, b);
        using var http = server.CreateHttpClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/ready")).StatusCode);

        // A socket that closes frees its place.
        await a.DisposeAsync();
        await Retry.UntilAsync(async () =>
        {
            using var again = await Loopback.TryUpgradeAsync(server.Socket);
            return again.Admitted;
        });
    }
}
