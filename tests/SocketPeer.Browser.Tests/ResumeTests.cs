using System.Text.Json;
using SocketPeer.Testing;
using Xunit.Abstractions;

namespace SocketPeer.Browser.Tests;

/// <summary>
/// As <see cref="ServerDropFixture"/>: the close handshake of a dropped flooder gets room on a
/// loaded machine (the drop is what starts these tests, not what they test).
/// </summary>
public sealed class ResumeFixture : BrowserFixture
{
    protected override (string, string)[] Settings => [("SocketPeer:CloseTimeout", "00:00:30")];
}

/// <summary>
/// Resume (docs/protocol.md, "Resume") in real pages against the real server: a page whose socket
/// the server drops takes its session back on the next socket; its partner notices nothing.
/// The pages stay on the WebSocket relay (<c>webrtc: false</c>): resume covers the relay only.
/// </summary>
public sealed class ResumeTests(ResumeFixture fixture, ITestOutputHelper output)
    : BrowserTest(fixture, output), IClassFixture<ResumeFixture>
{
    private const int PolicyViolation = 1008;

    /// <summary>Two relay-only pages paired on a fresh code, both told <c>connect</c>, both resumable.</summary>
    internal static async Task<(PeerPage Dropped, PeerPage Partner)> PairAsync(
        Func<string, Task<PeerPage>> newPage, object droppedOptions, object partnerOptions)
    {
        var dropped = await newPage("dropped");
        var partner = await newPage("partner");
        await dropped.StartAsync(droppedOptions);
        await dropped.WaitForStateAsync("waiting");
        await partner.StartAsync(partnerOptions);
        await dropped.WaitForEventAsync("connect");
        await partner.WaitForEventAsync("connect");
        foreach (var page in new[] { dropped, partner })
        {
            Assert.True(await page.Page.EvaluateAsync<bool>("() => peer.resumable"),
                "the server did not take the resume opt-in (its session message carries no token): " +
                "server-side resume (docs/protocol.md, Resume) is missing from this build");
        }
        return (dropped, partner);
    }

    /// <summary>
    /// Makes the server drop the page's socket for real, as ServerDropTests does: a flood of frames
    /// of an unknown type, past the rate limit and a whole burst more, closed with 1008.
    /// </summary>
    internal static async Task DropAsync(PeerPage page)
    {
        await page.Page.EvaluateAsync("""
            () => {
              for (let i = 0; i < 1000; i++) peer.socket.send('{"type":"flood.test"}');
            }
            """);
        await page.WaitForEventAsync("close");
        var close = (await page.LastArgAsync("close"))!.Value;
        Assert.Equal(PolicyViolation, close.GetProperty("code").GetInt32());
        Assert.True(close.GetProperty("willReconnect").GetBoolean());
    }

    private static Task<string[]> ReceivedAsync(PeerPage page) =>
        page.Page.EvaluateAsync<string[]>("() => received.map(r => String(r.value))");

    private static Task<string[]> ViasAsync(PeerPage page) =>
        page.Page.EvaluateAsync<string[]>("() => [...new Set(received.map(r => r.via))]");

    /// <summary>Sends <c>prefix1</c> … <c>prefixN</c> in one go; returns what each <c>send</c> said.</summary>
    private static Task<string[]> SendStreamAsync(PeerPage page, string prefix, int count) =>
        page.Page.EvaluateAsync<string[]>(
            "([prefix, count]) => Array.from({ length: count }, (_, i) => peer.send(prefix + (i + 1)))",
            new object[] { prefix, count });

    private static IEnumerable<string> Stream(string prefix, int count) =>
        Enumerable.Range(1, count).Select(i => prefix + i);

    /// <summary>
    /// The page stays away (its reconnect delay is a minute, so the test reconnects it, exactly as
    /// the timer would, once both streams are sent): whatever either side sent meanwhile arrives
    /// exactly once and in order, with no second <c>connect</c>/<c>peer.found</c> anywhere and no
    /// <c>peer.left</c> for the partner.
    /// </summary>
    [Fact]
    public async Task A_dropped_page_resumes_its_session_and_both_streams_sent_while_it_was_away_arrive_once_in_order()
    {
        const int PartnerStream = 50;
        const int DroppedStream = 20;
        var code = Codes.New();
        var (dropped, partner) = await PairAsync(name => NewPeerPageAsync(name),
            new { pairCode = code, webrtc = false, reconnectDelay = 60_000 },
            new { pairCode = code, webrtc = false });
        await partner.SendAsync("p-before");
        await dropped.SendAsync("d-before");
        await dropped.ReceiveAsync("p-before");
        await partner.ReceiveAsync("d-before");
        var sessionId = await dropped.Page.EvaluateAsync<string>("() => peer.sessionId");

        await DropAsync(dropped);

        // While the page is away: the partner's socket and session are fine, so it relays; the
        // dropped page has no path and queues.
        Assert.All(await SendStreamAsync(partner, "p", PartnerStream), path => Assert.Equal("websocket", path));
        Assert.All(await SendStreamAsync(dropped, "d", DroppedStream), path => Assert.Equal("queued", path));
        Assert.Equal("reconnecting", await dropped.Page.EvaluateAsync<string>("() => peer.state"));
        Assert.Equal(1, await dropped.CountAsync("connect_attempt"));

        await dropped.Page.EvaluateAsync("() => peer.connect()");

        await dropped.WaitForEventAsync("resume");
        var resumed = (await dropped.LastArgAsync("resume"))!.Value;
        Log($"resume: {resumed}");
        Assert.Equal("paired", resumed.GetProperty("state").GetString());
        Assert.Equal("connected", await dropped.Page.EvaluateAsync<string>("() => peer.state"));
        Assert.Equal(sessionId, await dropped.Page.EvaluateAsync<string>("() => peer.sessionId"));
        await partner.SendAsync("p-after");
        await dropped.SendAsync("d-after");

        await dropped.ReceiveAsync("p-after");
        await partner.ReceiveAsync("d-after");
        string[] toDropped = ["p-before", .. Stream("p", PartnerStream), "p-after"];
        string[] toPartner = ["d-before", .. Stream("d", DroppedStream), "d-after"];
        Assert.Equal(toDropped, await ReceivedAsync(dropped));
        Assert.Equal(toPartner, await ReceivedAsync(partner));
        Assert.Equal(["websocket"], await ViasAsync(dropped));
        Assert.Equal(["websocket"], await ViasAsync(partner));

        // Both sides acknowledged everything: nothing is kept for a resend any more.
        await dropped.WaitAsync("() => peer.unacknowledgedMessages === 0");
        await partner.WaitAsync("() => peer.unacknowledgedMessages === 0");
        Assert.Equal(PartnerStream + 2, await dropped.Page.EvaluateAsync<int>("() => peer.lastReceivedSeq"));
        Assert.Equal(DroppedStream + 2, await partner.Page.EvaluateAsync<int>("() => peer.lastReceivedSeq"));

        foreach (var page in new[] { dropped, partner })
        {
            Assert.Equal(1, await page.CountAsync("connect"));
            Assert.Equal(1, await page.CountAsync("peer.found"));
            Assert.Equal(0, await page.CountAsync("reconnect"));
            Assert.Equal(0, await page.CountAsync("peer.left"));
        }
        Assert.Equal(1, await dropped.CountAsync("resume"));
        Assert.Equal(0, await partner.CountAsync("resume"));
        Assert.Equal(0, await partner.CountAsync("close"));
    }

    /// <summary>
    /// The same on the page's own reconnect timer: the partner starts its stream the moment the page
    /// is dropped, and the stream arrives once and in order, however it splits between the replay
    /// and live traffic.
    /// </summary>
    [Fact]
    public async Task A_dropped_page_reconnects_by_itself_and_resumes_without_a_second_connect()
    {
        const int PartnerStream = 40;
        var code = Codes.New();
        var (dropped, partner) = await PairAsync(name => NewPeerPageAsync(name),
            new { pairCode = code, webrtc = false, reconnectDelay = 200 },
            new { pairCode = code, webrtc = false });

        await DropAsync(dropped);
        Assert.All(await SendStreamAsync(partner, "p", PartnerStream), path => Assert.Equal("websocket", path));

        await dropped.WaitForEventAsync("resume");
        await dropped.ReceiveAsync("p" + PartnerStream);
        await partner.SendAsync("p-after");
        await dropped.ReceiveAsync("p-after");
        string[] toDropped = [.. Stream("p", PartnerStream), "p-after"];
        Assert.Equal(toDropped, await ReceivedAsync(dropped));
        Assert.Equal("paired", (await dropped.LastArgAsync("resume"))!.Value.GetProperty("state").GetString());

        await dropped.SendAsync("d-after");
        await partner.ReceiveAsync("d-after");
        Assert.Equal(2, await dropped.CountAsync("connect_attempt"));
        foreach (var page in new[] { dropped, partner })
        {
            Assert.Equal(1, await page.CountAsync("connect"));
            Assert.Equal(1, await page.CountAsync("peer.found"));
            Assert.Equal(0, await page.CountAsync("peer.left"));
        }
    }

    /// <summary>
    /// A reset socket (its node died, or the network broke) is retried at once, not after the
    /// back-off: the session waits on another node. The page's back-off is a minute here, so a retry
    /// within half of it can only be the quick first retry (its delay is jittered, so only that is
    /// asserted, not a time).
    /// </summary>
    [Fact]
    public async Task A_page_whose_connection_is_reset_retries_at_once_and_resumes()
    {
        await using var network = new CuttableProxy(Server.Http);
        var code = Codes.New();
        var (dropped, partner) = await PairAsync(name => NewPeerPageAsync(name),
            new { pairCode = code, webrtc = false, reconnectDelay = 60_000, firstReconnectDelay = 200, url = network.SocketUrl },
            new { pairCode = code, webrtc = false });

        Assert.Equal(1, network.CutAll());

        await dropped.WaitForEventAsync("resume");
        var closedAt = (await dropped.TimesAsync("close"))[0];
        var retriedAt = (await dropped.TimesAsync("reconnect_attempt"))[0];
        Assert.InRange(retriedAt - closedAt, 0, 30_000);
        await partner.SendAsync("after the reset");
        await dropped.ReceiveAsync("after the reset");
        Assert.Equal(0, await partner.CountAsync("peer.left"));
    }

    /// <summary>
    /// A lost network rather than a server's close: the page's TCP connection is reset under it
    /// (no close frame either way), the page sees 1006, reconnects through the same way and resumes.
    /// </summary>
    [Fact]
    public async Task A_page_whose_connection_is_reset_resumes_and_misses_nothing()
    {
        const int PartnerStream = 30;
        await using var network = new CuttableProxy(Server.Http);
        var code = Codes.New();
        var (dropped, partner) = await PairAsync(name => NewPeerPageAsync(name),
            new { pairCode = code, webrtc = false, reconnectDelay = 60_000, firstReconnectDelay = 60_000, url = network.SocketUrl },
            new { pairCode = code, webrtc = false });

        Assert.Equal(1, network.CutAll());
        await dropped.WaitForEventAsync("close");
        Assert.Equal(1006, (await dropped.LastArgAsync("close"))!.Value.GetProperty("code").GetInt32());
        Assert.All(await SendStreamAsync(partner, "p", PartnerStream), path => Assert.Equal("websocket", path));
        Assert.Equal("queued", await dropped.SendAsync("d-away"));
        await dropped.Page.EvaluateAsync("() => peer.connect()"); // the reconnect timer's job

        await dropped.WaitForEventAsync("resume");
        await dropped.ReceiveAsync("p" + PartnerStream);
        await partner.ReceiveAsync("d-away");
        string[] toDropped = [.. Stream("p", PartnerStream)];
        Assert.Equal(toDropped, await ReceivedAsync(dropped));
        foreach (var page in new[] { dropped, partner })
        {
            Assert.Equal(1, await page.CountAsync("connect"));
            Assert.Equal(0, await page.CountAsync("peer.left"));
        }
    }

    /// <summary>
    /// The network dies under the page before anyone notices: what the page sends is lost on the
    /// way to the server, and what the server writes to the page is lost on the way to it. After the
    /// reset the page resumes: it re-sends its lost messages (the server never got them), and the
    /// server replays the partner's (the page never acknowledged them); each arrives once, in order.
    /// More than the client's relay burst (64) are lost, so the re-sends are paced too.
    /// </summary>
    [Fact]
    public async Task Messages_lost_in_flight_when_the_network_dies_are_resent_both_ways()
    {
        const int Lost = 100;
        await using var network = new CuttableProxy(Server.Http);
        var code = Codes.New();
        var (dropped, partner) = await PairAsync(name => NewPeerPageAsync(name),
            new { pairCode = code, webrtc = false, reconnectDelay = 60_000, firstReconnectDelay = 60_000, url = network.SocketUrl },
            new { pairCode = code, webrtc = false });
        await dropped.SendAsync("d-before");
        await partner.ReceiveAsync("d-before");

        network.Blackhole();
        // The first 64 go at once (into the void), the rest wait for the relay budget.
        Assert.All(await SendStreamAsync(dropped, "d", Lost), path => Assert.Contains(path, new[] { "websocket", "queued" }));
        Assert.All(await SendStreamAsync(partner, "p", Lost), path => Assert.Contains(path, new[] { "websocket", "queued" }));
        Assert.Equal(1, network.CutAll());
        await dropped.WaitForEventAsync("close");
        await dropped.Page.EvaluateAsync("() => peer.connect()"); // the reconnect timer's job

        await dropped.WaitForEventAsync("resume");
        var resumed = (await dropped.LastArgAsync("resume"))!.Value;
        Log($"resume: {resumed}");
        Assert.Equal(1, resumed.GetProperty("seq").GetInt32()); // the server had d-before only
        Assert.InRange(resumed.GetProperty("resent").GetInt32(), 64, Lost);
        await partner.ReceiveAsync("d" + Lost);
        await dropped.ReceiveAsync("p" + Lost);
        string[] toPartner = ["d-before", .. Stream("d", Lost)];
        string[] toDropped = [.. Stream("p", Lost)];
        Assert.Equal(toPartner, await ReceivedAsync(partner));
        Assert.Equal(toDropped, await ReceivedAsync(dropped));
        await dropped.WaitAsync("() => peer.unacknowledgedMessages === 0");
        await partner.WaitAsync("() => peer.unacknowledgedMessages === 0");
        foreach (var page in new[] { dropped, partner })
        {
            Assert.Equal(1, await page.CountAsync("connect"));
            Assert.Equal(0, await page.CountAsync("peer.left"));
        }
    }

    /// <summary>
    /// A page that sends a burst well over the server's rate limit (burst 100, 50/s) loses nothing:
    /// the client paces relayed data below it, so no message is dropped by the server and none
    /// leaves a gap in the numbering.
    /// </summary>
    [Fact]
    public async Task A_burst_over_the_server_rate_limit_is_paced_and_arrives_once_in_order()
    {
        const int Burst = 200;
        var code = Codes.New();
        var (sender, receiver) = await PairAsync(name => NewPeerPageAsync(name),
            new { pairCode = code, webrtc = false },
            new { pairCode = code, webrtc = false });

        // The budget refills (40/s) while the loop runs, so a slow page sends a few more at once:
        // the bound comes from the loop's own duration, measured in the page.
        var burst = await sender.Page.EvaluateAsync<JsonElement>(
            """
            ([prefix, count]) => {
              const started = performance.now();
              const paths = Array.from({ length: count }, (_, i) => peer.send(prefix + (i + 1)));
              return { paths, ms: performance.now() - started };
            }
            """,
            new object[] { "m", Burst });
        var paths = burst.GetProperty("paths").EnumerateArray().Select(path => path.GetString()).ToArray();
        var refilled = (int)Math.Ceiling(burst.GetProperty("ms").GetDouble() * 40 / 1000);
        Log($"burst: {burst.GetProperty("ms").GetDouble():F1} ms, {paths.Count(path => path == "websocket")} at once");
        Assert.All(paths.Take(64), path => Assert.Equal("websocket", path));
        Assert.InRange(paths.Count(path => path == "websocket"), 64, 64 + refilled);
        Assert.All(paths, path => Assert.Contains(path, new[] { "websocket", "queued" }));

        await receiver.ReceiveAsync("m" + Burst);
        string[] all = [.. Stream("m", Burst)];
        Assert.Equal(all, await ReceivedAsync(receiver));
        Assert.Equal(0, await sender.CountAsync("server.error"));
        Assert.Equal(0, await sender.CountAsync("close"));
        await sender.WaitAsync("() => peer.unacknowledgedMessages === 0");
    }

    /// <summary>
    /// Upgraded pages: the DataChannel does not depend on the socket, so it carries on while the
    /// page is away, and the resume leaves it alone (no downgrade, no new upgrade, no new pairing).
    /// </summary>
    [Fact]
    public async Task A_DataChannel_outlives_the_drop_and_the_resume_keeps_it()
    {
        var code = Codes.New();
        var (dropped, partner) = await PairAsync(name => NewPeerPageAsync(name),
            new { pairCode = code, reconnectDelay = 60_000 },
            new { pairCode = code });
        await dropped.WaitForPathAsync("webrtc");
        await partner.WaitForPathAsync("webrtc");

        await DropAsync(dropped);
        Assert.Equal("webrtc", await dropped.SendAsync("d-away"));
        Assert.Equal("webrtc", await partner.SendAsync("p-away"));
        Assert.Equal("webrtc", await partner.ReceiveAsync("d-away"));
        Assert.Equal("webrtc", await dropped.ReceiveAsync("p-away"));
        await dropped.Page.EvaluateAsync("() => peer.connect()");

        await dropped.WaitForEventAsync("resume");
        Assert.Equal("webrtc", await dropped.SendAsync("d-after"));
        Assert.Equal("webrtc", await partner.ReceiveAsync("d-after"));
        foreach (var page in new[] { dropped, partner })
        {
            Assert.Equal(1, await page.CountAsync("connect"));
            Assert.Equal(1, await page.CountAsync("upgrade"));
            Assert.Equal(0, await page.CountAsync("downgrade"));
            Assert.Equal(0, await page.CountAsync("peer.left"));
        }
    }

    /// <summary>Run in a page before its scripts: keeps every resume token the server sends it (<c>tokens</c>).</summary>
    private const string RecordTokens = """
        window.tokens = [];
        const NativeWebSocket = window.WebSocket;
        window.WebSocket = class extends NativeWebSocket {
          constructor(...args) {
            super(...args);
            this.addEventListener('message', (event) => {
              try {
                const message = JSON.parse(event.data);
                if ((message.type === 'session' || message.type === 'session.token') && message.data.token) tokens.push(message.data.token);
              } catch { /* not ours to judge */ }
            });
          }
        };
        """;

    /// <summary>
    /// Another socket takes the page's session over with its latest token: the server closes the
    /// page's socket with 4001 and the page stays closed (a reconnect would take it back and the two
    /// would fight over it). Its partner, still paired with the session, hears nothing.
    /// </summary>
    [Fact]
    public async Task A_page_whose_session_is_resumed_elsewhere_is_closed_with_4001_and_does_not_reconnect()
    {
        var code = Codes.New();
        var (page, partner) = await PairAsync(name => NewPeerPageAsync(name, name == "dropped" ? RecordTokens : null),
            new { pairCode = code, webrtc = false, reconnectDelay = 200 },
            new { pairCode = code, webrtc = false });
        var token = await page.Page.EvaluateAsync<string>("() => tokens[tokens.length - 1]");

        await using var elsewhere = await Server.ConnectAsync();
        await elsewhere.SendAsync("resume", new { token, seq = 0 });
        await elsewhere.ExpectAsync("session"); // the resumed session's
        var resumed = await elsewhere.ExpectAsync("resumed");
        Assert.Equal("paired", resumed.GetProperty("data").GetProperty("state").GetString());

        await page.WaitForEventAsync("close");
        var close = (await page.LastArgAsync("close"))!.Value;
        Assert.Equal(4001, close.GetProperty("code").GetInt32());
        Assert.False(close.GetProperty("willReconnect").GetBoolean());
        Assert.Equal("closed", await page.Page.EvaluateAsync<string>("() => peer.state"));
        Assert.False(await page.Page.EvaluateAsync<bool>("() => peer.resumable"));

        // The session lives on with the other socket: the partner's messages reach it there.
        await partner.SendAsync("to whoever holds the session");
        var relayed = await elsewhere.ExpectAsync("data");
        Assert.Equal("to whoever holds the session", relayed.GetProperty("data").GetString());
        Assert.Equal(0, await partner.CountAsync("peer.left"));
        Assert.Equal(1, await page.CountAsync("connect_attempt"));
    }
}

/// <summary>A server that keeps a dropped session for a resume only briefly.</summary>
public sealed class ShortGraceFixture : BrowserFixture
{
    protected override (string, string)[] Settings =>
    [
        ("SocketPeer:CloseTimeout", "00:00:30"),
        ("SocketPeer:Resume:Grace", "00:00:02"),
    ];
}

/// <summary>When the session cannot be taken back, the client falls back to the original behaviour.</summary>
public sealed class ResumeFailedTests(ShortGraceFixture fixture, ITestOutputHelper output)
    : BrowserTest(fixture, output), IClassFixture<ShortGraceFixture>
{
    /// <summary>
    /// The page comes back after the grace period: the partner has heard <c>peer.left</c>, the
    /// resume gets <c>resume-failed</c>, and the page pairs again with its code: a new
    /// <c>peer.found</c>/<c>connect</c> on both sides, and a working pair.
    /// </summary>
    [Fact]
    public async Task A_page_back_after_the_grace_period_gets_resume_failed_and_pairs_again()
    {
        var code = Codes.New();
        var (dropped, partner) = await ResumeTests.PairAsync(name => NewPeerPageAsync(name),
            new { pairCode = code, webrtc = false, reconnectDelay = 60_000 },
            new { pairCode = code, webrtc = false });

        await ResumeTests.DropAsync(dropped);
        await partner.WaitForEventAsync("peer.left"); // the grace period ran out
        await dropped.Page.EvaluateAsync("() => peer.connect()");

        await dropped.WaitAsync("() => events.some(e => e.name === 'server.error' && e.arg.code === 'resume-failed')");
        await dropped.WaitForEventAsync("connect", 2);
        await partner.WaitForEventAsync("connect", 2);
        await dropped.WaitForEventAsync("reconnect");
        Assert.Equal(0, await dropped.CountAsync("resume"));
        Assert.True(await dropped.Page.EvaluateAsync<bool>("() => peer.resumable"), "the new session is opted in again");

        await dropped.SendAsync("after: dropped→partner");
        await partner.SendAsync("after: partner→dropped");
        await partner.ReceiveAsync("after: dropped→partner");
        await dropped.ReceiveAsync("after: partner→dropped");
    }
}
