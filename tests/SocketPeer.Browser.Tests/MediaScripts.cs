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
        })();
        """;

    /// <summary>
    /// Records what <c>window.peer</c> hears of the partner's media: <c>remote</c> (each <c>stream</c>
    /// event: id and kinds), <c>tracks</c> (each <c>track</c> event) and <c>removed</c> (each
    /// <c>track.removed</c>). Run after <c>startPeer</c>.
    /// </summary>
    public const string WatchRemoteMedia = """
        () => {
          window.remote = [];
          window.tracks = [];
          window.removed = [];
          peer.on('stream', (s) => window.remote.push({ id: s.id, kinds: s.getTracks().map((t) => t.kind).sort() }));
          peer.on('track', (t, s) => window.tracks.push({ kind: t.kind, stream: s.id }));
          peer.on('track.removed', (t, s) => window.removed.push({ kind: t.kind, stream: s.id }));
        }
        """;

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
