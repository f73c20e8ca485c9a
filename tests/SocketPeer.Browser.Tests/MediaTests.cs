using Xunit.Abstractions;

namespace SocketPeer.Browser.Tests;

/// <summary>Chromium with a fake camera and microphone, granted without a prompt.</summary>
public class MediaFixture : BrowserFixture
{
    protected override string[] BrowserArgs => ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"];
}

/// <summary>Media as the original client carried it: the `stream` option out, the `stream` event in.</summary>
public sealed class MediaTests(MediaFixture fixture, ITestOutputHelper output)
    : BrowserTest(fixture, output), IClassFixture<MediaFixture>
{
    private const string RecordPeerConnections = MediaScripts.RecordPeerConnections;

    /// <summary>A page that takes the fake camera and microphone and pairs with <paramref name="code"/>, sending them.</summary>
    private async Task<PeerPage> StartWithCameraAsync(string name, string code)
    {
        var page = await NewPeerPageAsync(name, RecordPeerConnections);
        await page.Page.EvaluateAsync("""
            async (code) => {
              const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
              window.remote = [];
              window.tracks = [];
              startPeer({ pairCode: code, stream });
              peer.on('stream', (s) => window.remote.push({ id: s.id, kinds: s.getTracks().map((t) => t.kind).sort() }));
              peer.on('track', (t, s) => window.tracks.push({ kind: t.kind, stream: s.id }));
            }
            """, code);
        return page;
    }

    private static Task ReceivingMediaAsync(PeerPage page) => MediaScripts.ReceivingAsync(page, "video", "audio");

    [Fact]
    public async Task Two_pages_with_a_stream_each_receive_the_partners_video_and_audio()
    {
        var code = Testing.Codes.New();
        var a = await StartWithCameraAsync("a", code);
        await Server.WaitForRoomAsync(code);
        var b = await StartWithCameraAsync("b", code);

        foreach (var page in new[] { a, b })
        {
            await page.WaitForEventAsync("upgrade");
            await page.WaitAsync("() => window.remote.length === 1 && window.remote[0].kinds.join() === 'audio,video'");
            await ReceivingMediaAsync(page);
        }
        Assert.Equal(1, await a.Page.EvaluateAsync<int>("() => window.remote.length")); // once per stream, not per track
        Assert.Equal(2, await b.Page.EvaluateAsync<int>("() => window.tracks.length"));
    }

    /// <summary>
    /// The newcomer offers (it hears <c>initiator: true</c>); a page with a camera that arrives second
    /// puts its media in that offer, and a page without one receives it. (The other way round, media
    /// from the answering side only, needs a renegotiation: <see cref="RenegotiationTests"/>.)
    /// </summary>
    [Fact]
    public async Task A_newcomer_with_a_stream_sends_it_to_a_page_without_one_and_the_data_channel_still_opens()
    {
        var code = Testing.Codes.New();
        var viewer = await NewPeerPageAsync("viewer", RecordPeerConnections);
        await viewer.Page.EvaluateAsync("""
            (code) => {
              window.remote = [];
              startPeer({ pairCode: code });
              peer.on('stream', (s) => window.remote.push({ id: s.id, kinds: s.getTracks().map((t) => t.kind).sort() }));
            }
            """, code);
        await Server.WaitForRoomAsync(code);
        var sender = await StartWithCameraAsync("sender", code);

        await viewer.WaitForEventAsync("upgrade");
        await sender.WaitForEventAsync("upgrade");
        await viewer.WaitAsync("() => window.remote.length === 1 && window.remote[0].kinds.join() === 'audio,video'");
        await ReceivingMediaAsync(viewer);
        Assert.Equal(0, await sender.Page.EvaluateAsync<int>("() => window.remote.length"));
        Assert.Equal("webrtc", await viewer.Page.EvaluateAsync<string>("() => peer.send('over the channel')"));
    }

    [Fact]
    public async Task Without_WebRTC_both_pages_are_told_media_is_unavailable_and_data_is_relayed()
    {
        var code = Testing.Codes.New();
        var pages = new List<PeerPage>();
        foreach (var name in new[] { "a", "b" })
        {
            var page = await NewPeerPageAsync(name);
            await page.Page.EvaluateAsync("""
                (code) => {
                  window.media = [];
                  startPeer({ pairCode: code, webrtc: false });
                  peer.on('media.unavailable', (info) => window.media.push(info.reason));
                }
                """, code);
            if (pages.Count == 0) await Server.WaitForRoomAsync(code);
            pages.Add(page);
        }

        foreach (var page in pages) await page.WaitAsync("() => window.media.length === 1 && window.media[0] === 'webrtc-disabled'");
        Assert.Equal("websocket", await pages[0].SendAsync("still here"));
        Assert.Equal("websocket", await pages[1].ReceiveAsync("still here"));
    }

    /// <summary>
    /// TURN only, and no TURN server: WebRTC cannot connect. The page with a camera and the one
    /// without are both told media is unavailable (once), and their messages are relayed.
    /// </summary>
    [Fact]
    public async Task When_WebRTC_cannot_connect_media_is_reported_unavailable_once_and_data_is_relayed()
    {
        var code = Testing.Codes.New();
        const string Watch = "peer.on('media.unavailable', (info) => window.media.push(info.reason));";
        var viewer = await NewPeerPageAsync("viewer");
        await viewer.Page.EvaluateAsync($$"""
            (code) => {
              window.media = [];
              startPeer({ pairCode: code, iceTransportPolicy: 'relay', upgradeTimeout: 2000 });
              {{Watch}}
            }
            """, code);
        await Server.WaitForRoomAsync(code);
        var sender = await NewPeerPageAsync("sender");
        await sender.Page.EvaluateAsync($$"""
            async (code) => {
              window.media = [];
              const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
              startPeer({ pairCode: code, stream, iceTransportPolicy: 'relay', upgradeTimeout: 2000 });
              {{Watch}}
            }
            """, code);

        foreach (var page in new[] { viewer, sender }) await page.WaitAsync("() => window.media.length >= 1");
        Assert.Equal("websocket", await sender.SendAsync("relayed"));
        Assert.Equal("websocket", await viewer.ReceiveAsync("relayed"));
        // The initiator retries the upgrade with back-off; the page is not told again.
        await sender.WaitForEventAsync("upgrade_attempt", 2);
        Assert.Equal(1, await sender.Page.EvaluateAsync<int>("() => window.media.length"));
        Assert.Equal(0, await viewer.CountAsync("upgrade"));
    }
}
