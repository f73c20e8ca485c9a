using SocketPeer.Testing;
using Xunit.Abstractions;

namespace SocketPeer.Browser.Tests;

/// <summary>What a page does when the server drops its socket.</summary>
public sealed class ServerDropTests(BrowserFixture fixture, ITestOutputHelper output)
    : BrowserTest(fixture, output), IClassFixture<BrowserFixture>
{
    private const int ReconnectDelayMs = 1000;
    private const int PolicyViolation = 1008;

    /// <summary>
    /// The server really drops the socket: the page floods it past the rate limit (a burst, then a
    /// whole burst more after the <c>rate-limited</c> warning) and the server closes it with 1008.
    /// The flood is the original client's own <c>pair</c> frame, which is a no-op on a paired
    /// socket, so nothing but the rate limit reacts to it.
    /// </summary>
    [Fact]
    public async Task A_page_whose_socket_the_server_drops_reconnects_with_back_off_and_pairs_again()
    {
        var code = Codes.New();
        var dropped = await NewPeerPageAsync("dropped");
        var partner = await NewPeerPageAsync("partner");
        await dropped.StartAsync(new { pairCode = code, reconnectDelay = ReconnectDelayMs });
        await dropped.WaitForStateAsync("waiting");
        await partner.StartAsync(new { pairCode = code, reconnectDelay = ReconnectDelayMs });
        await dropped.WaitForEventAsync("connect");
        await partner.WaitForEventAsync("connect");
        var closesBefore = Server.Metrics.Snapshot().Closes.GetValueOrDefault(PolicyViolation);

        await dropped.Page.EvaluateAsync("""
            () => {
              const frame = JSON.stringify({ type: 'pair', data: peer.pairCode });
              for (let i = 0; i < 1000; i++) peer.socket.send(frame);
            }
            """);

        await dropped.WaitForEventAsync("close");
        var close = (await dropped.LastArgAsync("close"))!.Value;
        Assert.Equal(PolicyViolation, close.GetProperty("code").GetInt32());
        Assert.True(close.GetProperty("willReconnect").GetBoolean());
        Assert.Equal(closesBefore + 1, Server.Metrics.Snapshot().Closes.GetValueOrDefault(PolicyViolation));
        await partner.WaitForEventAsync("peer.left");

        await dropped.WaitForEventAsync("reconnect");
        await dropped.WaitForEventAsync("connect", 2);
        await partner.WaitForEventAsync("connect", 2);
        var closedAt = (await dropped.TimesAsync("close"))[0];
        var retriedAt = (await dropped.TimesAsync("reconnect_attempt"))[0];
        Assert.InRange(retriedAt - closedAt, ReconnectDelayMs / 2.0 - 1, 30_000); // back-off: 0.5-1x the delay

        await dropped.SendAsync("after the drop: dropped→partner");
        await partner.SendAsync("after the drop: partner→dropped");
        await partner.ReceiveAsync("after the drop: dropped→partner");
        await dropped.ReceiveAsync("after the drop: partner→dropped");
    }
}
