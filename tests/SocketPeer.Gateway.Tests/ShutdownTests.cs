using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using SocketPeer.Testing;

namespace SocketPeer.Gateway.Tests;

public sealed class ShutdownTests
{
    [Fact]
    public async Task A_stopping_node_closes_its_sockets_with_1012_so_clients_reconnect()
    {
        var server = await SocketPeerServer.StartAsync();
        var (a, b) = await Pairs.OpenAsync(server);
        await using var _ = a;
        await using var __ = b;

        var stopping = server.DisposeAsync().AsTask();

        Assert.Equal((WebSocketCloseStatus)1012, await a.ClosedAsync());
        Assert.Equal((WebSocketCloseStatus)1012, await b.ClosedAsync());
        Assert.Equal("service restart", a.Socket.CloseStatusDescription);
        await stopping.WaitAsync(TestClient.Timeout);
    }

    /// <summary>
    /// Sessions that may resume outlive their sockets' 1012 and stop with the shard hand-off, and so
    /// does their room. A member re-joining that room from a stopping node could only be buffered by
    /// the node's room region, for a shard no node would host again (here there is no other node), and
    /// the region then waited out Akka's hand-off timeout, 9 s, before the node could leave.
    /// </summary>
    [Fact]
    public async Task A_stopping_node_with_resumable_pairs_hands_its_shards_off_without_timing_out()
    {
        var timedOut = new CapturedLogs("Graceful shutdown of shard region timed out");
        var server = await SocketPeerServer.StartAsync(builder => builder.Logging.AddProvider(timedOut));
        var (a, b) = await Resumable.PairAsync(server);
        await using var _ = a;
        await using var __ = b;

        await server.DisposeAsync();

        Assert.Equal((WebSocketCloseStatus)1012, await a.ClosedAsync());
        if (timedOut.First.IsCompleted) Assert.Fail(await timedOut.First);
    }
}
