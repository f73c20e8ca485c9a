using System.Net.WebSockets;
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
}
