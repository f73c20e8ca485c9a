using System.Text.Json;
using Microsoft.Playwright;

namespace SocketPeer.Browser.Tests;

/// <summary>
/// A page on the server's origin that loads the real <c>/socketpeer/socketpeer.js</c> and
/// records what one <c>SocketPeer</c> (<c>window.peer</c>) emits, so tests can wait on conditions.
/// </summary>
public sealed class PeerPage
{
    private const string Html = """
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><title>SocketPeer browser test</title><link rel="icon" href="data:,"></head>
        <body>
        <script src="/socketpeer/socketpeer.js"></script>
        <script>
          window.events = [];   // every event of interest: { name, at, arg }
          window.received = []; // every `data` event: { value, via }
          window.startPeer = (options) => {
            const peer = new SocketPeer(options);
            window.peer = peer;
            const names = ['connect', 'upgrade', 'downgrade', 'busy', 'reconnect', 'reconnect_attempt',
              'connect_attempt', 'close', 'path', 'state', 'peer.left', 'server.error', 'upgrade_attempt', 'session',
              'peer.found', 'resume', 'ice.restart', 'ice.restarted', 'media.unavailable'];
            for (const name of names) {
              peer.on(name, (arg) => {
                let copy = null;
                try { copy = arg === undefined ? null : JSON.parse(JSON.stringify(arg)); } catch { copy = String(arg); }
                window.events.push({ name, at: performance.now(), arg: copy });
              });
            }
            peer.on('error', (err) => window.events.push({
              name: 'error', at: performance.now(), arg: { code: err && err.code, message: String(err && err.message) } }));
            peer.on('data', (value, via) => window.received.push({ value, via }));
          };
          window.count = (name) => window.events.filter((e) => e.name === name).length;
        </script>
        </body>
        </html>
        """;

    private PeerPage(IPage page) => Page = page;

    public IPage Page { get; }

    public static async Task<PeerPage> OpenAsync(IPage page, Uri server)
    {
        // A document the real server sent (so the page's origin and address space are the server's,
        // which Chromium's local-network checks require of a page opening ws://127.0.0.1), then
        // replaced by the harness: relative URLs such as /socketpeer/ keep working.
        await page.GotoAsync(new Uri(server, "/socketpeer/socketpeer.js").ToString());
        await page.SetContentAsync(Html);
        await page.WaitForFunctionAsync("() => typeof SocketPeer === 'function' && typeof startPeer === 'function'");
        return new PeerPage(page);
    }

    /// <summary>Creates <c>window.peer = new SocketPeer(options)</c> (it connects at once).</summary>
    public Task StartAsync(object options) => Page.EvaluateAsync("options => startPeer(options)", options);

    /// <summary>Waits until <paramref name="predicate"/> (a JS function of <paramref name="arg"/>) is truthy.</summary>
    public async Task WaitAsync(string predicate, object? arg = null) =>
        await Page.WaitForFunctionAsync(predicate, arg, new() { PollingInterval = 50, Timeout = BrowserTest.TimeoutMs });

    public Task WaitForPathAsync(string path) => WaitAsync("path => peer.path === path", path);

    public Task WaitForStateAsync(string state) => WaitAsync("state => peer.state === state", state);

    public Task WaitForEventAsync(string name, int count = 1) =>
        WaitAsync("([name, n]) => count(name) >= n", new object[] { name, count });

    public Task<int> CountAsync(string name) => Page.EvaluateAsync<int>("name => count(name)", name);

    /// <summary><c>peer.send(text)</c>; returns the path it reported ("webrtc", "websocket", "queued"…).</summary>
    public Task<string> SendAsync(string text) => Page.EvaluateAsync<string>("text => peer.send(text)", text);

    /// <summary>Waits for <paramref name="text"/> to arrive and returns the path it came by.</summary>
    public async Task<string> ReceiveAsync(string text)
    {
        await WaitAsync("text => received.some(r => r.value === text)", text);
        return await Page.EvaluateAsync<string>("text => received.find(r => r.value === text).via", text);
    }

    /// <summary>Timestamps (performance.now(), ms) of every event called <paramref name="name"/>.</summary>
    public async Task<double[]> TimesAsync(string name) =>
        await Page.EvaluateAsync<double[]>("name => events.filter(e => e.name === name).map(e => e.at)", name);

    /// <summary>The argument of the last event called <paramref name="name"/>.</summary>
    public async Task<JsonElement?> LastArgAsync(string name) =>
        await Page.EvaluateAsync<JsonElement?>("name => { const e = events.filter(e => e.name === name).pop(); return e ? e.arg : null; }", name);
}
