using Microsoft.Playwright;
using SocketPeer.Testing;
using Xunit.Abstractions;

namespace SocketPeer.Browser.Tests;

/// <summary>
/// The ORIGINAL 2015 client's media (its <c>stream</c> option and <c>stream</c> event, simple-peer 4
/// with <c>addStream</c>) against our server and our client: the call works as it did, in the first
/// offer and answer. The original takes no signal once connected, so it cannot renegotiate: media
/// our page adds later is reported to our page, and the call and the DataChannel carry on.
/// </summary>
public sealed class OriginalClientMediaTests(MediaFixture fixture, ITestOutputHelper output)
    : BrowserTest(fixture, output), IClassFixture<MediaFixture>
{
    private async Task<IPage> OpenOriginalClientWithCameraAsync(string bundle, string code)
    {
        var page = await NewPageAsync("original", OriginalClientBrowserTests.LocalIceOnly + MediaScripts.RecordPeerConnections);
        await page.GotoAsync(new Uri(Server.Http, "/socketpeer/socketpeer.js").ToString()); // the server's origin
        await page.SetContentAsync("""<!doctype html><title>original SocketPeer client</title><link rel="icon" href="data:,">""");
        await page.AddScriptTagAsync(new() { Path = bundle });
        Assert.True(await page.EvaluateAsync<bool>("() => typeof SocketPeer === 'function' && !SocketPeer.version"),
            "the page must run the original bundle, not ours");
        // As the original's README showed a call: the camera as `stream`, the partner's on `stream`.
        await page.EvaluateAsync("""
            async (code) => {
              window.events = [];
              window.remote = [];
              window.received = [];
              const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
              const peer = new SocketPeer({ pairCode: code, url: location.origin + '/socketpeer/', stream });
              window.peer = peer;
              peer.on('upgrade', () => events.push('upgrade'));
              peer.on('error', (err) => events.push('error: ' + (err && err.message)));
              peer.on('stream', (s) => remote.push(s.getTracks().map((t) => t.kind).sort().join()));
              peer.on('data', (data) => received.push(data));
            }
            """, code);
        return page;
    }

    [OriginalClientFact]
    public async Task A_call_with_the_original_client_sends_media_both_ways_and_media_added_later_is_reported_unsupported()
    {
        var bundle = OriginalClientFactAttribute.ExtractBundle();
        try
        {
            await CallAsync(bundle);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(bundle)!, recursive: true);
        }
    }

    private async Task CallAsync(string bundle)
    {
        var code = Codes.New();
        var original = await OpenOriginalClientWithCameraAsync(bundle, code);
        await original.WaitForFunctionAsync("() => peer.socketConnected === false && peer.socket && peer.socket.readyState === 1");
        var ours = await NewPeerPageAsync("ours", MediaScripts.RecordPeerConnections);
        await ours.Page.EvaluateAsync("""
            async (code) => {
              const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
              startPeer({ pairCode: code, stream });
              watchRemoteMedia();
            }
            """, code);

        // Our page offers (it joined second) with its media; the original answers with its own.
        await ours.WaitForEventAsync("upgrade");
        await original.WaitForFunctionAsync("() => events.includes('upgrade')", null, new() { PollingInterval = 50, Timeout = TimeoutMs });
        await ours.WaitAsync("() => window.remote.length === 1 && window.remote[0].kinds.join() === 'audio,video'");
        await MediaScripts.ReceivingAsync(ours, "video", "audio");
        await original.WaitForFunctionAsync("() => remote.includes('audio,video')", null, new() { PollingInterval = 50, Timeout = TimeoutMs });
        await MediaScripts.ReceivingAsync(original, "video", "audio");

        // Media added during the call needs a renegotiation the original cannot take: our page hears so.
        await ours.Page.EvaluateAsync("async () => peer.addStream(await navigator.mediaDevices.getUserMedia({ video: true }))");
        await ours.WaitAsync("() => events.some((e) => e.name === 'error' && e.arg.code === 'renegotiation-unsupported')");
        Assert.Equal(0, await ours.CountAsync("downgrade"));
        Assert.Equal("webrtc", await ours.SendAsync("still peer-to-peer"));
        await original.WaitForFunctionAsync("() => received.includes('still peer-to-peer')", null, new() { PollingInterval = 50, Timeout = TimeoutMs });
        Assert.DoesNotContain(await original.EvaluateAsync<string[]>("() => events"), e => e.StartsWith("error"));
    }
}
