using System.Net.WebSockets;
using System.Text;
using SocketPeer.Testing;

namespace SocketPeer.Gateway.Tests.Hostile;

/// <summary>Short keep-alive, idle, peer and header timeouts, so that silence is seen in seconds.</summary>
public sealed class SilentClientFixture : ServerFixture
{
    protected override (string, string)[] Settings =>
    [
        ("SocketPeer:KeepAliveInterval", "00:00:00.5"),
        ("SocketPeer:KeepAliveTimeout", "00:00:01"),
        // Well above keep-alive's 1.5 s, so that the two are told apart by their close (abort vs 4002).
        ("SocketPeer:IdleTimeout", "00:00:04"),
        ("SocketPeer:PeerTimeout", "00:00:01"),
        ("SocketPeer:CloseTimeout", "00:00:01"),
        ("SocketPeer:HandshakeTimeout", "00:00:02"),
    ];
}

/// <summary>
/// Clients that go quiet: one that stops answering pings, one stuck inside a frame header, one that
/// never finishes its HTTP upgrade, and sockets left in no room (never paired, after <c>busy</c>,
/// after <c>peer-timeout</c>). None of them is kept; a quiet pair is.
/// </summary>
public sealed class SilentClientTests(SilentClientFixture fixture) : IClassFixture<SilentClientFixture>
{
    private SocketPeerServer Server => fixture.Server;

    [Fact]
    public async Task A_client_that_stops_answering_pings_is_aborted_after_the_keep_alive_timeout()
    {
        var (a, b) = await Pairs.OpenAsync(Server);
        await using var _ = a;
        await using var __ = b;
        await using var silent = await RawWebSocket.ConnectAsync(Server.Socket);
        silent.AnswerPings = false;

        Assert.Null(await silent.ClosedAsync()); // reset without a close frame: no 4002 either, so not idle

        await Offender.AssertReleasedAsync(Server, silent.SessionId, othersOpen: 2);
        await Pairs.AssertRelaysAsync(a, b);
    }

    [Fact]
    public async Task A_client_stuck_inside_a_frame_header_is_aborted_after_the_keep_alive_timeout()
    {
        await using var stuck = await RawWebSocket.ConnectAsync(Server.Socket);
        stuck.AnswerPings = false; // a pong could not be read behind the partial header anyway

        await stuck.WriteRawAsync(new byte[] { 0x81 }); // the first byte of a text frame's header, and no more

        Assert.Null(await stuck.ClosedAsync());
        await Offender.AssertReleasedAsync(Server, stuck.SessionId, othersOpen: 0);
    }

    [Fact]
    public async Task An_upgrade_request_that_never_ends_is_dropped_by_the_header_timeout()
    {
        await using var slowloris = await RawWebSocket.OpenTcpAsync(Server.Socket);
        var request = RawWebSocket.UpgradeRequest(Server.Socket);

        await slowloris.WriteRawAsync(Encoding.ASCII.GetBytes(request[..^4])); // all but the final blank line

        var answer = await slowloris.ReadToEndAsync();
        Assert.True(answer.Length == 0 || answer.StartsWith("HTTP/1.1 408", StringComparison.Ordinal), answer);
    }

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
