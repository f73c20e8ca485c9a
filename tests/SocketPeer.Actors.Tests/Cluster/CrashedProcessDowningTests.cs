using System.Net;
using System.Net.Sockets;
using SocketPeer.Actors.Cluster;

namespace SocketPeer.Actors.Tests.Cluster;

/// <summary>
/// The judgements behind downing a crashed process at once: that its port refuses connections
/// (nothing listens: the process is gone), when to probe it again, and that this side holds a
/// majority. On loopback.
/// </summary>
public sealed class CrashedProcessDowningTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_port_nobody_listens_on_any_more_refuses_connections()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // the process that held it is gone

        Assert.True(await CrashedProcessDowning.RefusesConnections("127.0.0.1", port, Timeout));
    }

    [Fact]
    public async Task A_port_something_listens_on_does_not_even_if_it_never_accepts()
    {
        // A frozen process: its kernel still completes the handshake from the listen backlog.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        Assert.False(await CrashedProcessDowning.RefusesConnections("127.0.0.1", port, Timeout));
    }

    [Fact]
    public void An_answered_first_probe_is_followed_by_another_even_before_the_lost_connection_is_recorded() =>
        // The lost-connection record is filled by another actor from the same event, and may lag.
        Assert.True(CrashedProcessDowning.ProbesAgain(attempt: 1, connectionLost: false));

    [Fact]
    public void Later_probes_go_on_while_the_connection_stays_lost_and_stop_when_it_is_back()
    {
        Assert.True(CrashedProcessDowning.ProbesAgain(attempt: 2, connectionLost: true));
        Assert.False(CrashedProcessDowning.ProbesAgain(attempt: 2, connectionLost: false));
    }

    [Fact]
    public void Probing_ends_after_the_last_probe_even_while_the_connection_stays_lost() =>
        Assert.False(CrashedProcessDowning.ProbesAgain(attempt: 4, connectionLost: true));

    [Theory]
    [InlineData(2, 3, true)]
    [InlineData(1, 3, false)]
    [InlineData(2, 4, false)]
    [InlineData(3, 4, true)]
    [InlineData(1, 2, false)]
    public void Only_more_than_half_of_the_members_is_a_majority(int healthy, int members, bool majority) =>
        Assert.Equal(majority, CrashedProcessDowning.IsMajority(healthy, members));
}
