using SocketPeer.Testing;
using Xunit.Abstractions;

namespace SocketPeer.Browser.Tests;

/// <summary>
/// A real coturn reached over TCP through a <see cref="CuttableProxy"/>, and a server minting
/// credentials for that route: pages that use TURN only lose their path when the proxy cuts their
/// TURN connections (as a network change does), and find a new one through the proxy again.
/// </summary>
public sealed class CuttableTurnFixture : MediaFixture
{
    private static readonly TimeSpan CoturnLifetime = TimeSpan.FromMinutes(5);

    private readonly string _secret = "socketpeer-turn-" + Guid.NewGuid().ToString("N");
    private CoturnProcess? _coturn;
    private CuttableProxy? _proxy;

    /// <summary>In front of coturn's TCP listener.</summary>
    public CuttableProxy Proxy => _proxy ?? throw new InvalidOperationException("not started");

    protected override (string, string)[] Settings =>
        [("SocketPeer:Ice:TurnUrls:0", $"turn:127.0.0.1:{Proxy.Port}?transport=tcp"), ("SocketPeer:Ice:TurnSecret", _secret)];

    public override async Task InitializeAsync()
    {
        _coturn = await CoturnProcess.StartAsync(_secret, CoturnLifetime);
        _proxy = new CuttableProxy(new Uri($"http://127.0.0.1:{_coturn.Port}"));
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        try
        {
            await base.DisposeAsync();
            if (_proxy is not null) await _proxy.DisposeAsync();
        }
        finally
        {
            if (_coturn is not null) await _coturn.DisposeAsync();
        }
    }
}

/// <summary>An open WebRTC connection whose path breaks restarts ICE before it falls back to the relay.</summary>
public sealed class IceRestartTests(CuttableTurnFixture fixture, ITestOutputHelper output)
    : BrowserTest(fixture, output), IClassFixture<CuttableTurnFixture>
{
    /// <summary>Two TURN-only pages sending each other video, upgraded and receiving it.</summary>
    private async Task<List<PeerPage>> CallAsync(int upgradeTimeout)
    {
        var code = Codes.New();
        var pages = new List<PeerPage>();
        foreach (var name in new[] { "waiting", "newcomer" })
        {
            var page = await NewPeerPageAsync(name, MediaScripts.RecordPeerConnections);
            await page.Page.EvaluateAsync("""
                async ([code, upgradeTimeout]) => {
                  const stream = await navigator.mediaDevices.getUserMedia({ video: true });
                  startPeer({ pairCode: code, stream, iceTransportPolicy: 'relay', upgradeTimeout });
                  watchRemoteMedia();
                }
                """, new object[] { code, upgradeTimeout });
            if (pages.Count == 0) await Server.WaitForRoomAsync(code);
            pages.Add(page);
        }
        foreach (var page in pages)
        {
            await page.WaitForEventAsync("upgrade");
            await MediaScripts.ReceivingAsync(page, "video");
            await page.Page.EvaluateAsync("() => { window.firstChannel = peer.channel; }");
        }
        return pages;
    }

    [Fact]
    public async Task When_the_path_breaks_ICE_restarts_and_the_same_connection_and_media_carry_on()
    {
        var pages = await CallAsync(upgradeTimeout: 15_000);

        Assert.True(fixture.Proxy.CutAll() > 0, "the pages' TURN connections go through the proxy");

        // Both ends see the path break; one of them (or both: glare) restarts ICE over the signalling,
        // relaying messages meanwhile, and a fresh TURN allocation through the proxy brings them
        // back. (A side whose ICE the partner's restart offer revives first has nothing to restart.)
        await UntilAsync(pages, "() => count('ice.restarted') > 0");
        foreach (var page in pages)
        {
            // ICE connected again, no restart of its own left unfinished, back on WebRTC.
            await page.WaitAsync("""
                () => ['connected', 'completed'].includes(peer.rtc.iceConnectionState)
                  && count('ice.restart') === count('ice.restarted') && peer.path === 'webrtc'
                """);
            Assert.Equal(1, await page.Page.EvaluateAsync<int>("() => window.pcs.length"));
            Assert.True(await page.Page.EvaluateAsync<bool>("() => peer.channel === window.firstChannel && peer.channel.readyState === 'open'"));
            Assert.Equal(0, await page.CountAsync("downgrade"));
            Assert.Equal(0, await page.CountAsync("media.unavailable"));
            // Video still arrives: the frames decoded keep growing after the restart.
            var frames = await page.Page.EvaluateAsync<long>(FramesDecoded);
            await page.WaitAsync($"async (before) => (await ({FramesDecoded})()) > before", frames);
        }
        Assert.Equal("webrtc", await pages[0].SendAsync("after the network change"));
        Assert.Equal("webrtc", await pages[1].ReceiveAsync("after the network change"));
    }

    /// <summary>
    /// The path breaks and no new one can be found (the TURN server cannot be reached any more): the
    /// restart gives up after <c>upgradeTimeout</c>, the connection closes and the relay carries the
    /// messages; the page is told media is unavailable.
    /// </summary>
    [Fact]
    public async Task When_the_ICE_restart_finds_no_path_the_pages_fall_back_to_the_relay_and_are_told_media_is_unavailable()
    {
        var pages = await CallAsync(upgradeTimeout: 8_000);
        var turn = fixture.Proxy.Target;
        fixture.Proxy.Target = new Uri("http://127.0.0.1:9"); // nothing listens: new TURN connections are refused
        try
        {
            Assert.True(fixture.Proxy.CutAll() > 0, "the pages' TURN connections go through the proxy");
            // The side that restarted gives up after upgradeTimeout and is told media is unavailable;
            // its partner sees the connection close. Both are back on the relay.
            await UntilAsync(pages, "() => events.some((e) => e.name === 'media.unavailable' && e.arg.reason === 'ice-failed')");
            foreach (var page in pages)
            {
                await page.WaitForEventAsync("downgrade");
                Assert.Equal(0, await page.CountAsync("ice.restarted"));
            }
            // Before TURN is back (the initiator retries the upgrade, which could then succeed).
            Assert.Equal("websocket", await pages[1].SendAsync("relayed after the restart failed"));
            Assert.Equal("websocket", await pages[0].ReceiveAsync("relayed after the restart failed"));
        }
        finally
        {
            fixture.Proxy.Target = turn;
        }
    }

    /// <summary>
    /// Until <paramref name="predicate"/> (synchronous) holds on either page: each page waits for it
    /// in the browser (<see cref="PeerPage.WaitAsync"/>, bounded by <see cref="BrowserTest.TimeoutMs"/>),
    /// and the first to see it ends the wait; a wait that timed out throws.
    /// </summary>
    private static async Task UntilAsync(IReadOnlyList<PeerPage> pages, string predicate)
    {
        var waits = pages.Select(page => page.WaitAsync(predicate)).ToList();
        // The other page's wait goes on until its page closes or times out: observed, never thrown.
        foreach (var wait in waits)
            _ = wait.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
        await await Task.WhenAny(waits);
    }

    /// <summary>Video frames the page's peer connection decoded so far (inbound-rtp statistics).</summary>
    private const string FramesDecoded = """
        async () => {
          let frames = 0;
          (await window.pcs[window.pcs.length - 1].getStats()).forEach((r) => {
            if (r.type === 'inbound-rtp' && r.kind === 'video') frames += r.framesDecoded || 0;
          });
          return frames;
        }
        """;
}
