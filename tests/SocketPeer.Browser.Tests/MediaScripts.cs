using Microsoft.Playwright;

namespace SocketPeer.Browser.Tests;

/// <summary>Page scripts and waits the media tests share.</summary>
public static class MediaScripts
{
    /// <summary>Records every RTCPeerConnection the page makes (<c>window.pcs</c>), so the test can read its statistics.</summary>
    public const string RecordPeerConnections = """
        (() => {
          const Native = window.RTCPeerConnection;
          window.pcs = [];
          window.RTCPeerConnection = class extends Native {
            constructor(...args) { super(...args); window.pcs.push(this); }
          };
          // What window.peer hears of the partner's media (WatchRemoteMedia). Called in the same task
          // as startPeer, so no event can come before the listeners.
          window.watchRemoteMedia = () => {
            window.remote = [];
            window.tracks = [];
            window.removed = [];
            peer.on('stream', (s) => window.remote.push({ id: s.id, kinds: s.getTracks().map((t) => t.kind).sort() }));
            peer.on('track', (t, s) => window.tracks.push({ kind: t.kind, stream: s.id }));
            peer.on('track.removed', (t, s) => window.removed.push({ kind: t.kind, stream: s.id }));
          };
        })();
        """;

    /// <summary>
    /// Starts the page's peer and records what it hears of the partner's media in one script, so
    /// nothing is missed: <c>remote</c> (each <c>stream</c> event: id and kinds), <c>tracks</c> (each
    /// <c>track</c> event) and <c>removed</c> (each <c>track.removed</c>), on a page with
    /// <see cref="RecordPeerConnections"/>. A script that starts the peer itself calls
    /// <c>watchRemoteMedia()</c> right after <c>startPeer</c>.
    /// </summary>
    public static Task StartWatchingAsync(PeerPage page, object options) =>
        page.Page.EvaluateAsync("options => { startPeer(options); watchRemoteMedia(); }", options);

    /// <summary>
    /// Waits until the page's (last) peer connection has received media of every kind in
    /// <paramref name="kinds"/> from the partner: decoded video frames, received audio samples
    /// (inbound-rtp statistics), polled with a bound.
    /// </summary>
    public static Task ReceivingAsync(PeerPage page, params string[] kinds) => ReceivingAsync(page.Page, kinds);

    /// <inheritdoc cref="ReceivingAsync(PeerPage, string[])"/>
    public static Task ReceivingAsync(IPage page, params string[] kinds) => page.WaitForFunctionAsync("""
        async (kinds) => {
          const pc = window.pcs[window.pcs.length - 1];
          if (!pc) return false;
          const got = { video: 0, audio: 0 };
          (await pc.getStats()).forEach((r) => {
            if (r.type !== 'inbound-rtp') return;
            if (r.kind === 'video') got.video += r.framesDecoded || 0;
            if (r.kind === 'audio') got.audio += r.totalSamplesReceived || r.packetsReceived || 0;
          });
          return kinds.every((kind) => got[kind] > 0);
        }
        """, kinds, new() { PollingInterval = 50, Timeout = BrowserTest.TimeoutMs });
}
