using SocketPeer.Testing;
using Xunit.Abstractions;

namespace SocketPeer.Browser.Tests;

/// <summary>
/// Media added and removed during a call: a renegotiation over the existing <c>rtc.signal</c>
/// messages, started by either side (perfect negotiation: the initiator is impolite), on the same
/// RTCPeerConnection and DataChannel, with the path left as it was.
/// </summary>
public sealed class RenegotiationTests(MediaFixture fixture, ITestOutputHelper output)
    : BrowserTest(fixture, output), IClassFixture<MediaFixture>
{
    /// <summary>
    /// Holds the page's incoming WebSocket messages while <c>hold()</c> is in force and delivers them,
    /// in order, on <c>release()</c>; records the SDP types the page signals (<c>sdpSent</c>). Two
    /// held pages that both offer cannot see each other's offer first: glare, every time.
    /// </summary>
    private const string HoldableSocket = """
        (() => {
          window.held = null;
          window.sdpSent = [];
          window.hold = () => { window.held = []; };
          window.release = () => { const held = window.held || []; window.held = null; for (const deliver of held) deliver(); };
          const Native = window.WebSocket;
          window.WebSocket = class extends Native {
            addEventListener(type, listener, options) {
              if (type !== 'message') return super.addEventListener(type, listener, options);
              return super.addEventListener(type, (event) => {
                if (window.held) window.held.push(() => listener.call(this, event));
                else listener.call(this, event);
              }, options);
            }
            send(data) {
              try {
                const message = JSON.parse(data);
                if (message.type === 'rtc.signal' && message.data && message.data.type) window.sdpSent.push(message.data.type);
              } catch { /* not ours to judge */ }
              return super.send(data);
            }
          };
        })();
        """;

    /// <summary>Two pages without media, paired and upgraded: the first waits (polite), the newcomer offers (impolite).</summary>
    private async Task<(PeerPage Waiting, PeerPage Newcomer)> UpgradedPairAsync()
    {
        var code = Codes.New();
        var waiting = await NewPeerPageAsync("waiting", MediaScripts.RecordPeerConnections + HoldableSocket);
        var newcomer = await NewPeerPageAsync("newcomer", MediaScripts.RecordPeerConnections + HoldableSocket);
        await MediaScripts.StartWatchingAsync(waiting, new { pairCode = code });
        await Server.WaitForRoomAsync(code);
        await MediaScripts.StartWatchingAsync(newcomer, new { pairCode = code });
        foreach (var page in new[] { waiting, newcomer })
        {
            await page.WaitForEventAsync("upgrade");
            await page.Page.EvaluateAsync("() => { window.firstChannel = peer.channel; }");
        }
        Assert.True(await newcomer.Page.EvaluateAsync<bool>("() => peer.initiator"));
        return (waiting, newcomer);
    }

    private static Task AddCameraAsync(PeerPage page, string constraints) => page.Page.EvaluateAsync(
        "async (constraints) => { window.camera = await navigator.mediaDevices.getUserMedia(JSON.parse(constraints)); peer.addStream(window.camera); }",
        constraints);

    /// <summary>Still the one RTCPeerConnection and DataChannel of the upgrade, on WebRTC, with no downgrade and no error.</summary>
    private static async Task AssertConnectionKeptAsync(PeerPage page)
    {
        Assert.Equal(1, await page.Page.EvaluateAsync<int>("() => window.pcs.length"));
        Assert.True(await page.Page.EvaluateAsync<bool>("() => peer.channel === window.firstChannel && peer.channel.readyState === 'open'"));
        Assert.Equal("webrtc", await page.Page.EvaluateAsync<string>("() => peer.path"));
        Assert.Equal(1, await page.CountAsync("upgrade"));
        Assert.Equal(0, await page.CountAsync("downgrade"));
        Assert.Equal(0, await page.CountAsync("error"));
    }

    [Fact]
    public async Task Media_added_and_removed_by_either_side_during_a_call_is_renegotiated_on_the_open_connection()
    {
        var (waiting, newcomer) = await UpgradedPairAsync();

        // The polite side starts one: its camera reaches the partner, frames are decoded.
        await AddCameraAsync(waiting, """{"video":true}""");
        await newcomer.WaitAsync("() => window.remote.length === 1 && window.remote[0].kinds.join() === 'video'");
        await MediaScripts.ReceivingAsync(newcomer, "video");
        // The track event names the stream the track belongs to: the sender's stream (its id travels in the SDP).
        Assert.Equal(await waiting.Page.EvaluateAsync<string>("() => window.camera.id"),
            await newcomer.Page.EvaluateAsync<string>("() => window.tracks[0].stream"));

        // The impolite side starts one: its microphone reaches the partner.
        await AddCameraAsync(newcomer, """{"audio":true}""");
        await waiting.WaitAsync("() => window.remote.length === 1 && window.remote[0].kinds.join() === 'audio'");
        await MediaScripts.ReceivingAsync(waiting, "audio");

        // Removing a track is a renegotiation too: the partner hears the track leave its stream.
        await waiting.Page.EvaluateAsync("() => peer.removeTrack(window.camera.getVideoTracks()[0])");
        await newcomer.WaitAsync("() => window.removed.length === 1 && window.removed[0].kind === 'video'");
        Assert.Equal(await newcomer.Page.EvaluateAsync<string>("() => window.remote[0].id"),
            await newcomer.Page.EvaluateAsync<string>("() => window.removed[0].stream"));

        // Every offer and answer went over rtc.signal; the DataChannel never closed.
        Assert.Contains("offer", await waiting.Page.EvaluateAsync<string[]>("() => window.sdpSent"));
        foreach (var page in new[] { waiting, newcomer }) await AssertConnectionKeptAsync(page);
        Assert.Equal("webrtc", await waiting.SendAsync("after the renegotiations"));
        Assert.Equal("webrtc", await newcomer.ReceiveAsync("after the renegotiations"));
    }

    /// <summary>
    /// The page that answers the first offer has a camera, the one that offers has none: the first
    /// offer asks for no media, so the answering side offers its media itself once connected.
    /// </summary>
    [Fact]
    public async Task Media_of_the_answering_side_alone_reaches_the_partner_after_the_first_connection()
    {
        var code = Codes.New();
        var sender = await NewPeerPageAsync("answering-sender", MediaScripts.RecordPeerConnections);
        await sender.Page.EvaluateAsync("""
            async (code) => {
              const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
              startPeer({ pairCode: code, stream });
              watchRemoteMedia();
            }
            """, code);
        await Server.WaitForRoomAsync(code);
        var viewer = await NewPeerPageAsync("offering-viewer", MediaScripts.RecordPeerConnections);
        await MediaScripts.StartWatchingAsync(viewer, new { pairCode = code });

        await viewer.WaitAsync("() => window.remote.length === 1 && window.remote[0].kinds.join() === 'audio,video'");
        await MediaScripts.ReceivingAsync(viewer, "video", "audio");
        Assert.Equal(1, await viewer.Page.EvaluateAsync<int>("() => window.pcs.length"));
        Assert.Equal(0, await sender.Page.EvaluateAsync<int>("() => window.remote.length"));
        Assert.Equal("webrtc", await viewer.SendAsync("seen you"));
        Assert.Equal("webrtc", await sender.ReceiveAsync("seen you"));
    }

    /// <summary>
    /// Both sides add a camera at the same moment (their sockets held, so each offers before it can
    /// see the other's offer): the impolite newcomer ignores the partner's offer, the polite side
    /// rolls its own back and answers, and in the end each receives the other's video.
    /// </summary>
    [Fact]
    public async Task When_both_sides_add_media_at_once_the_glare_resolves_and_both_receive_it()
    {
        var (waiting, newcomer) = await UpgradedPairAsync();
        var pages = new[] { waiting, newcomer };
        foreach (var page in pages) await page.Page.EvaluateAsync("() => { hold(); window.sdpBefore = sdpSent.length; }");
        await Task.WhenAll(pages.Select(page => AddCameraAsync(page, """{"video":true}""")));
        foreach (var page in pages) await page.WaitAsync("() => sdpSent.slice(sdpBefore).includes('offer')");
        foreach (var page in pages) await page.Page.EvaluateAsync("() => release()");

        foreach (var page in pages)
        {
            await page.WaitAsync("() => window.remote.length === 1 && window.remote[0].kinds.join() === 'video'");
            await MediaScripts.ReceivingAsync(page, "video");
        }
        // The polite side answered the impolite one's offer, its own offer notwithstanding.
        Assert.Contains("answer", await waiting.Page.EvaluateAsync<string[]>("() => sdpSent.slice(sdpBefore)"));
        foreach (var page in pages) await AssertConnectionKeptAsync(page);
        Assert.Equal("webrtc", await newcomer.SendAsync("no glare left"));
        Assert.Equal("webrtc", await waiting.ReceiveAsync("no glare left"));
    }
}
