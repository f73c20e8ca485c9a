using System.Text.Json;
using SocketPeer.Testing;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace SocketPeer.Browser.Tests;

/// <summary>
/// A real coturn on 127.0.0.1 with a shared secret, a SocketPeer server that mints TURN credentials
/// with the same secret (<see cref="BrowserFixture.Server"/>), a second one with a wrong secret
/// (<see cref="WrongSecretServer"/>), and the usual Chromium: relay candidates on a loopback TURN server
/// need none of <c>--allow-loopback-in-peer-connection</c> or <c>--disable-features=WebRtcHideLocalIpsWithMdns</c>
/// (those concern host candidates).
/// </summary>
public sealed class TurnFixture : BrowserFixture
{
    /// <summary>Longer than the class can take even on a loaded machine; coturn is killed before.</summary>
    private static readonly TimeSpan CoturnLifetime = TimeSpan.FromMinutes(5);

    private readonly string _secret = "socketpeer-turn-" + Guid.NewGuid().ToString("N");
    private CoturnProcess? _coturn;
    private SocketPeerServer? _wrongSecretServer;

    public CoturnProcess Coturn => _coturn ?? throw new InvalidOperationException("not started");

    /// <summary>A server whose TURN secret is not coturn's: every credential it mints is refused.</summary>
    public SocketPeerServer WrongSecretServer => _wrongSecretServer ?? throw new InvalidOperationException("not started");

    protected override (string, string)[] Settings =>
        [("SocketPeer:Ice:TurnUrls:0", Coturn.UdpUrl), ("SocketPeer:Ice:TurnSecret", _secret)];

    public override async Task InitializeAsync()
    {
        _coturn = await CoturnProcess.StartAsync(_secret, CoturnLifetime);
        var wrong = SocketPeerServer.StartAsync(
            ("SocketPeer:Ice:TurnUrls:0", Coturn.UdpUrl), ("SocketPeer:Ice:TurnSecret", "not-" + _secret));
        await base.InitializeAsync();
        _wrongSecretServer = await wrong;
    }

    public override async Task DisposeAsync()
    {
        try
        {
            await base.DisposeAsync();
            if (_wrongSecretServer is not null) await _wrongSecretServer.DisposeAsync();
        }
        finally
        {
            if (_coturn is not null) await _coturn.DisposeAsync();
        }
    }
}

/// <summary>
/// WebRTC through a real TURN server with the credentials the SocketPeer server minted, proven from
/// <c>getStats()</c>; and the WebSocket relay carrying the pair when the TURN server refuses them.
/// </summary>
public sealed class TurnTests(TurnFixture fixture, ITestOutputHelper output)
    : BrowserTest(fixture, output), IClassFixture<TurnFixture>
{
    private CoturnProcess Coturn => fixture.Coturn;

    /// <summary>The selected candidate pair of <c>peer.rtc</c>, read from getStats() by the test itself.</summary>
    private const string SelectedPair = """
        async () => {
          const stats = await peer.rtc.getStats();
          let pair = null;
          stats.forEach((r) => { if (r.type === 'transport' && r.selectedCandidatePairId) pair = stats.get(r.selectedCandidatePairId); });
          if (!pair) stats.forEach((r) => { if (r.type === 'candidate-pair' && r.nominated && r.state === 'succeeded') pair = r; });
          if (!pair) return null;
          const local = stats.get(pair.localCandidateId);
          const remote = stats.get(pair.remoteCandidateId);
          return {
            state: pair.state, responsesReceived: pair.responsesReceived,
            local: local.candidateType, localPort: local.port, localProtocol: local.relayProtocol || null, localUrl: local.url || null,
            remote: remote.candidateType, remoteAddress: remote.address, remotePort: remote.port,
          };
        }
        """;

    /// <summary>
    /// Two pages on <paramref name="server"/> with <paramref name="options"/>, the first waiting (so the
    /// second, the newcomer, offers), both told <c>connect</c>.
    /// </summary>
    private async Task<(PeerPage Waiting, PeerPage Newcomer)> PairAsync(SocketPeerServer server, Dictionary<string, object> options)
    {
        var code = Codes.New();
        var waiting = await PeerPage.OpenAsync(await NewPageAsync("waiting", IceScripts.Record), server.Http);
        var newcomer = await PeerPage.OpenAsync(await NewPageAsync("newcomer", IceScripts.Record), server.Http);
        await waiting.StartAsync(new Dictionary<string, object>(options) { ["pairCode"] = code });
        await waiting.WaitForStateAsync("waiting");
        await newcomer.StartAsync(new Dictionary<string, object>(options) { ["pairCode"] = code });
        await waiting.WaitForEventAsync("connect");
        await newcomer.WaitForEventAsync("connect");
        return (waiting, newcomer);
    }

    private static Task<string> SessionIdAsync(PeerPage page) => page.Page.EvaluateAsync<string>("() => peer.sessionId");

    /// <summary>The server's list in <c>peer.iceServers</c>: coturn's URL and a credential minted for this session.</summary>
    private async Task<string> AssertMintedCredentialAsync(PeerPage page)
    {
        var sessionId = await SessionIdAsync(page);
        var servers = await page.Page.EvaluateAsync<JsonElement>("() => peer.iceServers");
        var turn = Assert.Single(servers.EnumerateArray());
        Assert.Equal(Coturn.UdpUrl, Assert.Single(turn.GetProperty("urls").EnumerateArray()).GetString());
        var username = turn.GetProperty("username").GetString()!;
        Assert.EndsWith(":" + sessionId, username);
        Assert.NotEmpty(turn.GetProperty("credential").GetString()!);
        var expiresAt = await page.Page.EvaluateAsync<long>("() => peer.iceServersExpireAt");
        Assert.Equal(expiresAt.ToString(), username.Split(':')[0]);
        Assert.InRange(expiresAt - DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 3000, 3700); // Ice:CredentialLifetime, 1 h
        // What RTCPeerConnection was really given.
        await page.WaitAsync("() => ice.configs.length > 0");
        var config = await page.Page.EvaluateAsync<JsonElement>("() => ice.configs[ice.configs.length - 1]");
        Assert.Equal("relay", config.GetProperty("iceTransportPolicy").GetString());
        Assert.Equal(username, config.GetProperty("iceServers")[0].GetProperty("username").GetString());
        return username;
    }

    private void LogCoturn(int from)
    {
        foreach (var line in Coturn.Lines.Skip(from)) Log("[coturn] " + line);
    }

    [Fact]
    public async Task Relay_only_pages_connect_a_DataChannel_through_coturn_with_the_credentials_the_server_minted()
    {
        var logFrom = Coturn.Lines.Length;
        try
        {
            var (a, b) = await PairAsync(Server, new() { ["iceTransportPolicy"] = "relay" });
            await a.WaitForPathAsync("webrtc");
            await b.WaitForPathAsync("webrtc");
            var userA = await AssertMintedCredentialAsync(a);
            var userB = await AssertMintedCredentialAsync(b);

            // getStats(): both ends of the selected pair are relay candidates, allocated by this coturn.
            foreach (var page in new[] { a, b })
            {
                var pair = await page.Page.EvaluateAsync<JsonElement>(SelectedPair);
                Log($"selected pair: {pair}");
                // libwebrtc marks even the selected pair "in-progress" while a keep-alive check is out
                // (every ping sets it; the response sets "succeeded" again), so the state alone races.
                // A received check response is what proves this pair worked.
                Assert.Contains(pair.GetProperty("state").GetString(), new[] { "succeeded", "in-progress" });
                Assert.True(pair.GetProperty("responsesReceived").GetInt64() > 0, "no check response on the selected pair");
                Assert.Equal("relay", pair.GetProperty("local").GetString());
                Assert.Equal("relay", pair.GetProperty("remote").GetString());
                Assert.Equal("127.0.0.1", pair.GetProperty("remoteAddress").GetString());
                Assert.InRange(pair.GetProperty("localPort").GetInt32(), Coturn.MinPort, Coturn.MaxPort);
                Assert.InRange(pair.GetProperty("remotePort").GetInt32(), Coturn.MinPort, Coturn.MaxPort);
                Assert.DoesNotContain("host", await page.Page.EvaluateAsync<string[]>("() => ice.candidates"));

                var details = await page.Page.EvaluateAsync<JsonElement>("() => peer.getPathDetails()");
                Assert.Equal("webrtc", details.GetProperty("path").GetString());
                Assert.Equal("turn", details.GetProperty("route").GetString());
                Assert.Equal("relay", details.GetProperty("local").GetString());
                Assert.Equal("relay", details.GetProperty("remote").GetString());
            }

            // coturn itself accepted both credentials.
            await Coturn.WaitForLineAsync(l => l.Contains($"user <{userA}>") && l.Contains("ALLOCATE processed, success"), TimeSpan.FromSeconds(30));
            await Coturn.WaitForLineAsync(l => l.Contains($"user <{userB}>") && l.Contains("ALLOCATE processed, success"), TimeSpan.FromSeconds(30));

            // The messages travel through TURN, not through the SocketPeer server.
            var relayedBefore = Server.Metrics.Snapshot().RelayedData;
            Assert.Equal("webrtc", await a.SendAsync("a→b through TURN"));
            Assert.Equal("webrtc", await b.SendAsync("b→a through TURN"));
            Assert.Equal("webrtc", await b.ReceiveAsync("a→b through TURN"));
            Assert.Equal("webrtc", await a.ReceiveAsync("b→a through TURN"));
            Assert.Equal(relayedBefore, Server.Metrics.Snapshot().RelayedData);
        }
        finally
        {
            LogCoturn(logFrom);
        }
    }

    [Fact]
    public async Task With_a_wrong_secret_coturn_refuses_the_credentials_and_the_pair_talks_over_the_WebSocket_relay()
    {
        var server = fixture.WrongSecretServer;
        var logFrom = Coturn.Lines.Length;
        try
        {
            // A short upgrade timeout: with no candidate at all, ICE may never report failure by itself.
            var (waiting, initiator) = await PairAsync(server, new() { ["iceTransportPolicy"] = "relay", ["upgradeTimeout"] = 5000 });
            var username = await AssertMintedCredentialAsync(initiator);
            await AssertMintedCredentialAsync(waiting);

            // The upgrade fails: coturn answered the initiator's allocation with 401, no relay candidate came.
            await initiator.WaitAsync("() => events.some(e => e.name === 'error' && /^rtc-(failed|timeout)$/.test(e.arg.code))");
            var refused = await Coturn.WaitForLineAsync(
                l => l.Contains($"user <{username}>") && l.Contains("401"), TimeSpan.FromSeconds(30));
            Log("coturn: " + refused);
            Assert.DoesNotContain(Coturn.Lines.Skip(logFrom), l => l.Contains("ALLOCATE processed, success"));
            foreach (var page in new[] { waiting, initiator })
            {
                Assert.Empty(await page.Page.EvaluateAsync<string[]>("() => ice.candidates"));
                Assert.Equal(0, await page.CountAsync("upgrade"));
                Assert.Equal("websocket", await page.Page.EvaluateAsync<string>("() => peer.path"));
                var details = await page.Page.EvaluateAsync<JsonElement>("() => peer.getPathDetails()");
                Assert.Equal("websocket", details.GetProperty("path").GetString());
                Assert.Equal(JsonValueKind.Null, details.GetProperty("route").ValueKind);
            }
            // And each browser was told so: its TURN allocation got 401 Unauthorized.
            foreach (var page in new[] { waiting, initiator })
                await page.WaitAsync("url => ice.errors.some(e => e.code === 401 && e.url === url)", Coturn.UdpUrl);

            // The pair still talks, through the server.
            var relayedBefore = server.Metrics.Snapshot().RelayedData;
            Assert.Equal("websocket", await waiting.SendAsync("waiting→initiator relayed"));
            Assert.Equal("websocket", await initiator.SendAsync("initiator→waiting relayed"));
            Assert.Equal("websocket", await initiator.ReceiveAsync("waiting→initiator relayed"));
            Assert.Equal("websocket", await waiting.ReceiveAsync("initiator→waiting relayed"));
            Assert.Equal(relayedBefore + 2, server.Metrics.Snapshot().RelayedData);
            Assert.Equal(0, await initiator.CountAsync("upgrade"));
        }
        finally
        {
            LogCoturn(logFrom);
        }
    }

    [Fact]
    public async Task The_page_own_iceServers_replace_the_server_list()
    {
        // No ICE server at all: the pair connects directly (host candidates on 127.0.0.1).
        var (a, b) = await PairAsync(Server, new() { ["iceServers"] = Array.Empty<object>() });
        await a.WaitForPathAsync("webrtc");
        await b.WaitForPathAsync("webrtc");
        foreach (var page in new[] { a, b })
        {
            Assert.Equal(0, await page.Page.EvaluateAsync<int>("() => peer.iceServers.length"));
            Assert.Null(await page.Page.EvaluateAsync<long?>("() => peer.iceServersExpireAt"));
            Assert.Equal(0, await page.Page.EvaluateAsync<int>("() => ice.configs[0].iceServers.length"));
            Assert.Equal("all", await page.Page.EvaluateAsync<string>("() => ice.configs[0].iceTransportPolicy"));
            var details = await page.Page.EvaluateAsync<JsonElement>("() => peer.getPathDetails()");
            Assert.Equal("direct", details.GetProperty("route").GetString());
            Assert.NotEqual("relay", details.GetProperty("local").GetString());
            Assert.NotEqual("relay", details.GetProperty("remote").GetString());
            // The session message still carried the server's list; the page chose its own.
            Assert.Equal(1, await page.Page.EvaluateAsync<int>(
                "() => events.find(e => e.name === 'session').arg.iceServers.length"));
        }
    }

    [Fact]
    public async Task The_demo_with_iceTransportPolicy_relay_shows_WebRTC_through_TURN()
    {
        var code = "turn-" + Guid.NewGuid().ToString("N")[..8];
        var url = new Uri(Server.Http, "/?iceTransportPolicy=relay#" + code).AbsoluteUri;
        var alice = await NewPageAsync("alice");
        await alice.GotoAsync(url);
        await Expect(alice.Locator("#state")).ToHaveAttributeAsync("data-state", "waiting");
        var bob = await NewPageAsync("bob");
        await bob.GotoAsync(url);
        foreach (var page in new[] { alice, bob })
        {
            await Expect(page.Locator("#path")).ToHaveAttributeAsync("data-path", "webrtc");
            await Expect(page.Locator("#path")).ToHaveAttributeAsync("data-route", "turn");
            await Expect(page.Locator("#path-text")).ToHaveTextAsync("WebRTC via TURN relay");
        }
        await alice.Locator("#message").FillAsync("Hello through TURN");
        await alice.Locator("#send").ClickAsync();
        await Expect(bob.Locator("#messages li.msg.theirs[data-via=webrtc]")).ToHaveTextAsync("Hello through TURN");
    }
}
