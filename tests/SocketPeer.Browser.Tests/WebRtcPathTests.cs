using SocketPeer.Testing;
using Xunit.Abstractions;

namespace SocketPeer.Browser.Tests;

/// <summary>The client library in two real pages: which path carries the messages, and when.</summary>
public sealed class WebRtcPathTests(BrowserFixture fixture, ITestOutputHelper output)
    : BrowserTest(fixture, output), IClassFixture<BrowserFixture>
{
    /// <summary>
    /// Two pages on one code, the first one waiting (so the second, the newcomer, is the initiator
    /// and offers), both told <c>connect</c>. <paramref name="waitingInit"/> runs in the first page
    /// before its scripts.
    /// </summary>
    private async Task<(PeerPage Waiting, PeerPage Newcomer)> PairAsync(string? waitingInit = null)
    {
        var code = Codes.New();
        var waiting = await NewPeerPageAsync("waiting", waitingInit);
        var newcomer = await NewPeerPageAsync("newcomer");
        await waiting.StartAsync(new { pairCode = code });
        await waiting.WaitForStateAsync("waiting");
        await newcomer.StartAsync(new { pairCode = code });
        await waiting.WaitForEventAsync("connect");
        await newcomer.WaitForEventAsync("connect");
        return (waiting, newcomer);
    }

    [Fact]
    public async Task Paired_pages_upgrade_to_a_DataChannel_and_the_server_relays_no_data()
    {
        var (a, b) = await PairAsync();
        await a.WaitForEventAsync("upgrade");
        await b.WaitForEventAsync("upgrade");
        await a.WaitForPathAsync("webrtc");
        await b.WaitForPathAsync("webrtc");
        var relayedBefore = Server.Metrics.Snapshot().RelayedData;

        Assert.Equal("webrtc", await a.SendAsync("a→b over WebRTC"));
        Assert.Equal("webrtc", await b.SendAsync("b→a over WebRTC"));

        Assert.Equal("webrtc", await b.ReceiveAsync("a→b over WebRTC"));
        Assert.Equal("webrtc", await a.ReceiveAsync("b→a over WebRTC"));
        Assert.Equal(relayedBefore, Server.Metrics.Snapshot().RelayedData);
    }

    /// <summary>Run in a page before its scripts: RTCPeerConnection exists but can never be created.</summary>
    private const string WebRtcImpossible = """
        window.RTCPeerConnection = function RTCPeerConnection() {
          throw new DOMException('WebRTC is disabled in this page', 'NotSupportedError');
        };
        delete window.webkitRTCPeerConnection;
        """;

    [Fact]
    public async Task Messages_are_relayed_by_the_server_when_one_page_cannot_use_WebRTC()
    {
        // The page without WebRTC waits, so its partner (with WebRTC) is the initiator and really tries.
        var (noRtc, withRtc) = await PairAsync(waitingInit: WebRtcImpossible);
        await noRtc.WaitAsync("() => events.some(e => e.name === 'error' && e.arg.code === 'rtc-unavailable')");
        var relayedBefore = Server.Metrics.Snapshot().RelayedData;

        Assert.Equal("websocket", await noRtc.SendAsync("from the page without WebRTC"));
        Assert.Equal("websocket", await withRtc.SendAsync("from the page with WebRTC"));

        Assert.Equal("websocket", await withRtc.ReceiveAsync("from the page without WebRTC"));
        Assert.Equal("websocket", await noRtc.ReceiveAsync("from the page with WebRTC"));
        Assert.Equal(relayedBefore + 2, Server.Metrics.Snapshot().RelayedData);
        Assert.Equal(0, await noRtc.CountAsync("upgrade"));
        Assert.Equal(0, await withRtc.CountAsync("upgrade"));
    }

    [Theory]
    [InlineData("waiting")]
    [InlineData("initiator")]
    public async Task Closing_the_RTCPeerConnection_downgrades_to_the_relay_then_the_pair_upgrades_again(string closer)
    {
        var (waiting, initiator) = await PairAsync();
        await waiting.WaitForPathAsync("webrtc");
        await initiator.WaitForPathAsync("webrtc");
        var (a, b) = closer == "waiting" ? (waiting, initiator) : (initiator, waiting);
        var relayedBefore = Server.Metrics.Snapshot().RelayedData;
        // Each page sends the moment it downgrades, so the relay is tested before the retry can upgrade.
        foreach (var (page, text) in new[] { (a, "a→b relayed"), (b, "b→a relayed") })
            await page.Page.EvaluateAsync("text => peer.once('downgrade', () => { window.sentOnDowngrade = peer.send(text); })", text);

        await a.Page.EvaluateAsync("() => peer.rtc.close()");

        await a.WaitForEventAsync("downgrade");
        await b.WaitForEventAsync("downgrade");
        Assert.Equal("websocket", await a.Page.EvaluateAsync<string>("() => sentOnDowngrade"));
        Assert.Equal("websocket", await b.Page.EvaluateAsync<string>("() => sentOnDowngrade"));
        Assert.Equal("websocket", await b.ReceiveAsync("a→b relayed"));
        Assert.Equal("websocket", await a.ReceiveAsync("b→a relayed"));
        Assert.Equal(relayedBefore + 2, Server.Metrics.Snapshot().RelayedData);

        await a.WaitForEventAsync("upgrade", 2);
        await b.WaitForEventAsync("upgrade", 2);
        await a.WaitForPathAsync("webrtc");
        await b.WaitForPathAsync("webrtc");
        Assert.Equal("webrtc", await a.SendAsync("a→b over WebRTC again"));
        Assert.Equal("webrtc", await b.SendAsync("b→a over WebRTC again"));
        Assert.Equal("webrtc", await b.ReceiveAsync("a→b over WebRTC again"));
        Assert.Equal("webrtc", await a.ReceiveAsync("b→a over WebRTC again"));
        Assert.Equal(relayedBefore + 2, Server.Metrics.Snapshot().RelayedData);
    }
}
