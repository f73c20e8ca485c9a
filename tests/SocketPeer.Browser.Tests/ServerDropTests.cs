using SocketPeer.Testing;
using Xunit.Abstractions;

namespace SocketPeer.Browser.Tests;

/// <summary>What a page does when the server drops its socket.</summary>
/// <summary>
/// The server aborts a socket whose client does not answer its close frame within CloseTimeout
/// (5 s), and the page then sees 1006. A renderer on a 2-core box busy with other test projects
/// can take longer than that to read the error replies queued before the close, so this class
/// gives the close handshake room; the drop and reconnect are what it tests.
/// </summary>
public sealed class ServerDropFixture : BrowserFixture
{
    protected override (string, string)[] Settings => [("SocketPeer:CloseTimeout", "00:00:30")];
}

public sealed class ServerDropTests(ServerDropFixture fixture, ITestOutputHelper output)
    : BrowserTest(fixture, output), IClassFixture<ServerDropFixture>
{
    private const int ReconnectDelayMs = 1000;
    private const int PolicyViolation = 1008;

    /// <summary>
    /// The server really drops the socket: the page floods it past the rate limit (a burst, then a
    /// whole burst more after the <c>rate-limited</c> warning) and the server closes it with 1008,
    /// as it would any flooding client. The flood is a frame of an unknown type, refused in the
    /// connection's gate (no session round trip per frame), so the rate limit sees wire speed:
    /// 1,000 of them is five times what it takes, even on a slow machine, and few enough that the
    /// page's answer to the server's close frame is not stuck behind a flood still in flight (the
    /// server aborts a socket that does not complete the close within CloseTimeout: 1006).
    /// Both pages turn resume off (<c>resume: false</c>): this is the original behaviour, which the
    /// option must leave unchanged (ResumeTests has the same drop with resume on).
    /// </summary>
    [Fact]
    public async Task A_page_whose_socket_the_server_drops_reconnects_with_back_off_and_pairs_again()
    {
        var code = Codes.New();
        var dropped = await NewPeerPageAsync("dropped");
        var partner = await NewPeerPageAsync("partner");
        await dropped.StartAsync(new { pairCode = code, reconnectDelay = ReconnectDelayMs, resume = false });
        await dropped.WaitForStateAsync("waiting");
        await partner.StartAsync(new { pairCode = code, reconnectDelay = ReconnectDelayMs, resume = false });
        await dropped.WaitForEventAsync("connect");
        await partner.WaitForEventAsync("connect");
        var closesBefore = Server.Metrics.Snapshot().Closes.GetValueOrDefault(PolicyViolation);

        await dropped.Page.EvaluateAsync("""
            () => {
              for (let i = 0; i < 1000; i++) peer.socket.send('{"type":"flood.test"}');
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

        Assert.Equal(0, await dropped.CountAsync("resume"));
        Assert.False(await dropped.Page.EvaluateAsync<bool>("() => peer.resumable"));

        await dropped.SendAsync("after the drop: dropped→partner");
        await partner.SendAsync("after the drop: partner→dropped");
        await partner.ReceiveAsync("after the drop: dropped→partner");
        await dropped.ReceiveAsync("after the drop: partner→dropped");
    }
}
