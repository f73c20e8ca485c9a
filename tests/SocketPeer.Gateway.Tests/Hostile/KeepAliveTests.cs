using System.Text;
using SocketPeer.Testing;

namespace SocketPeer.Gateway.Tests.Hostile;

/// <summary>A short keep-alive and header timeout, so that a silent client is seen in seconds.</summary>
public sealed class KeepAliveFixture : ServerFixture
{
    protected override (string, string)[] Settings =>
    [
        ("SocketPeer:KeepAliveInterval", "00:00:00.5"),
        // Long enough that a well-behaved client's pong is never late on a loaded machine.
        ("SocketPeer:KeepAliveTimeout", "00:00:02"),
        ("SocketPeer:IdleTimeout", "00:00:00"), // off: only keep-alive may end a silent socket here
        ("SocketPeer:HandshakeTimeout", "00:00:02"),
        ("SocketPeer:CloseTimeout", "00:00:01"),
    ];
}

/// <summary>
/// Clients that go silent on the wire: one that stops answering pings, one stuck inside a frame
/// header, one that never finishes its HTTP upgrade. None of them is kept.
/// </summary>
public sealed class KeepAliveTests(KeepAliveFixture fixture) : IClassFixture<KeepAliveFixture>
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

        Assert.Null(await silent.ClosedAsync()); // reset, without a close frame

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
}
