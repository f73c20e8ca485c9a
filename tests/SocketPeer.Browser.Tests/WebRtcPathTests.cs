using SocketPeer.Testing;
using Xunit.Abstractions;

namespace SocketPeer.Browser.Tests;

/// <summary>The client library in two real pages: which path carries the messages, and when.</summary>
public sealed class WebRtcPathTests(BrowserFixture fixture, ITestOutputHelper output)
    : BrowserTest(fixture, output), IClassFixture<BrowserFixture>
{
    /// <summary>
    /// Two pages on one code, <paramref name="waiting"/> first (so <paramref name="newcomer"/> is the
    /// initiator), both told <c>connect</c>.
    /// </summary>
    private async Task<(PeerPage Waiting, PeerPage Newcomer)> PairAsync(
        object? waitingOptions = null, object? newcomerOptions = null, string? waitingInit = null)
    {
        var code = Codes.New();
        var waiting = await NewPeerPageAsync("waiting", waitingInit);
        var newcomer = await NewPeerPageAsync("newcomer");
        await waiting.StartAsync(Options(code, waitingOptions));
        await waiting.WaitForStateAsync("waiting");
        await newcomer.StartAsync(Options(code, newcomerOptions));
        await waiting.WaitForEventAsync("connect");
        await newcomer.WaitForEventAsync("connect");
        return (waiting, newcomer);
    }

    private static Dictionary<string, object> Options(string code, object? extra)
    {
        var options = new Dictionary<string, object> { ["pairCode"] = code };
        if (extra is not null)
            foreach (var property in extra.GetType().GetProperties())
                options[property.Name] = property.GetValue(extra)!;
        return options;
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
        // A slower upgrade retry (0.5-1x of 2 s) leaves room to see the relay carry messages.
        var options = new { reconnectDelay = 2000 };
        var (waiting, initiator) = await PairAsync(options, options);
        await waiting.WaitForPathAsync("webrtc");
        await initiator.WaitForPathAsync("webrtc");
        var (a, b) = closer == "waiting" ? (waiting, initiator) : (initiator, waiting);

        await a.Page.EvaluateAsync("() => peer.rtc.close()");

        await a.WaitForEventAsync("downgrade");
        await b.WaitForEventAsync("downgrade");
        var relayedBefore = Server.Metrics.Snapshot().RelayedData;
        Assert.Equal("websocket", await a.SendAsync("a→b relayed"));
        Assert.Equal("websocket", await b.SendAsync("b→a relayed"));
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
