using System.Net;
using System.Net.Sockets;
using SocketPeer.Testing;

namespace SocketPeer.Cluster.Tests;

/// <summary>The crash stand-in's first half: a port of this process refuses connections at once, and only that port.</summary>
public sealed class ListeningPortsTests
{
    [Fact]
    public async Task A_refused_port_refuses_connections_and_another_still_accepts()
    {
        using var refused = new TcpListener(IPAddress.Loopback, 0);
        using var other = new TcpListener(IPAddress.Loopback, 0);
        refused.Start();
        other.Start();
        var port = ((IPEndPoint)refused.LocalEndpoint).Port;

        Assert.Equal(1, ListeningPorts.Refuse(port));

        using var toRefused = new TcpClient();
        var error = await Assert.ThrowsAsync<SocketException>(() => toRefused.ConnectAsync(IPAddress.Loopback, port));
        Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
        using var toOther = new TcpClient();
        await toOther.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)other.LocalEndpoint).Port);
    }
}
