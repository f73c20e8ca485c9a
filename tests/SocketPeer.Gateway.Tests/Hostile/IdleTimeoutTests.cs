using System.Net.WebSockets;
using SocketPeer.Testing;

namespace SocketPeer.Gateway.Tests.Hostile;

/// <summary>A short idle and peer timeout, so that a socket left in no room is closed in seconds.</summary>
public sealed class IdleFixture : ServerFixture
{
    protected override (string, string)[] Settings =>
    [
        ("SocketPeer:IdleTimeout", "00:00:02"),
        ("SocketPeer:PeerTimeout", "00:00:02"),
        ("SocketPeer:CloseTimeout", "00:00:01"),
    ];
}

/// <summary>
/// Sockets left in no room (never paired, after <c>busy</c>, after <c>peer-timeout</c>) that send
/// nothing are closed with 4002; a quiet pair is not.
/// </summary>
public sealed class IdleTimeoutTests(IdleFixture fixture) : IClassFixture<IdleFixture>
{
    private SocketPeerServer Server => fixture.Server;

    [Fact]
    public async Task A_socket_that_never_pairs_and_sends_nothing_is_closed_4002_while_a_quiet_pair_stays()
    {
        var (a, b) = await Pairs.OpenAsync(Server);
        await using var _ = a;
        await using var __ = b;
        await using var idle = await RawWebSocket.ConnectAsync(Server.Socket);

        Assert.Equal(4002, await idle.ClosedAsync());

        await Offender.AssertReleasedAsync(Server, idle.SessionId, othersOpen: 2);
        // The pair said nothing for as long, but it is in a room.
        Assert.Equal(WebSocketState.Open, a.Socket.State);
        await Pairs.AssertRelaysAsync(a, b);
    }

    [Fact]
    public async Task An_original_client_left_on_its_socket_after_busy_is_closed_4002()
    {
        var (a, b) = await Pairs.OpenAsync(Server);
        await using var _ = a;
        await using var __ = b;
        await using var third = await RawWebSocket.ConnectAsync(Server.Socket);

        await third.SendJsonAsync("pair", a.PairCode);
        await third.ExpectAsync("busy");

        Assert.Equal(4002, await third.ClosedAsync());
        await Offender.AssertReleasedAsync(Server, third.SessionId, othersOpen: 2);
        await Pairs.AssertRelaysAsync(a, b);
    }

    [Fact]
    public async Task A_socket_left_after_peer_timeout_is_closed_4002()
    {
        await using var lonely = await RawWebSocket.ConnectAsync(Server.Socket);

        await lonely.SendJsonAsync("pair", Codes.New());
        await lonely.ExpectErrorAsync("peer-timeout");

        Assert.Equal(4002, await lonely.ClosedAsync());
        await Offender.AssertReleasedAsync(Server, lonely.SessionId, othersOpen: 0);
    }
}
