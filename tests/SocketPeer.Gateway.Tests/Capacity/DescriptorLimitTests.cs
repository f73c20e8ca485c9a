using System.Net;
using System.Net.WebSockets;
using System.Text.RegularExpressions;
using SocketPeer.Gateway.Capacity;
using SocketPeer.Testing;

namespace SocketPeer.Gateway.Tests.Capacity;

/// <summary>
/// A node never dies of its own load: under a low open-files limit it holds the sockets its cap
/// allows, refuses the next with 503, and everything it holds keeps working.
/// </summary>
public sealed class DescriptorLimitTests
{
    /// <summary>Small enough to fill quickly, large enough to start (an idle node holds about 300 descriptors).</summary>
    private const int OpenFiles = 700;

    [Fact]
    public async Task Under_a_low_open_files_limit_the_excess_gets_503_and_the_node_stays_alive_ready_and_relaying()
    {
        var cap = ConnectionCapacity.From(new DescriptorLimit(OpenFiles, OpenFiles), maxConnections: 0).Sockets;
        // No memory check here: this machine's memory is not the node's to judge.
        await using var gateway = await GatewayProcess.StartAsync(OpenFiles, "--SocketPeer:MemoryLimitPercent=0");
        Assert.Contains($"Open files: soft limit {OpenFiles}, hard {OpenFiles}; WebSockets capped at {cap}", gateway.Output);

        var clients = new List<TestClient>();
        try
        {
            while (clients.Count < cap)
                clients.Add(await TestClient.ConnectAsync(gateway.Socket));

            using var refused = await Loopback.TryUpgradeAsync(gateway.Socket);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.Status);
            Assert.NotNull(refused.RetryAfter);

            // The sockets already open still relay: the first and the last pair and talk both ways.
            var (a, b) = (clients[0], clients[^1]);
            var code = Codes.New();
            await a.PairAsync(code);
            await b.PairAsync(code);
            await a.ExpectAsync("peer.found");
            await b.ExpectAsync("peer.found");
            await Pairs.AssertRelaysAsync(a, b);

            using var http = gateway.CreateHttpClient();
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/ready")).StatusCode);
            var metrics = await http.GetStringAsync("/metrics");
            Assert.Matches(new Regex($@"^socketpeer_refused_total\{{[^}}]*reason=""sockets""[^}}]*\}} 1( |$)", RegexOptions.Multiline), metrics);
            Assert.Matches(new Regex($@"^socketpeer_connections_limit(\{{[^}}]*\}})? {cap}( |$)", RegexOptions.Multiline), metrics);
            Assert.All(clients, c => Assert.Equal(WebSocketState.Open, c.Socket.State));
            Assert.False(gateway.HasExited);
        }
        finally
        {
            foreach (var client in clients) await client.DisposeAsync();
        }
    }
}
