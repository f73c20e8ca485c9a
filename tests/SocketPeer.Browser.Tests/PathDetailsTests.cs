using System.Text.Json;
using SocketPeer.Testing;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace SocketPeer.Browser.Tests;

/// <summary>
/// <c>peer.getPathDetails()</c>, the demo's route badge and the ICE server list on a server without
/// ICE configuration (TURN itself: <see cref="TurnTests"/>).
/// </summary>
public sealed class PathDetailsTests(BrowserFixture fixture, ITestOutputHelper output)
    : BrowserTest(fixture, output), IClassFixture<BrowserFixture>
{
    private static readonly string[] DirectCandidateTypes = ["host", "srflx", "prflx"];

    private async Task<(PeerPage Waiting, PeerPage Newcomer)> PairAsync(Dictionary<string, object> options, string? initScript = null)
    {
        var code = Codes.New();
        var waiting = await NewPeerPageAsync("waiting", initScript);
        var newcomer = await NewPeerPageAsync("newcomer", initScript);
        await waiting.StartAsync(new Dictionary<string, object>(options) { ["pairCode"] = code });
        await waiting.WaitForStateAsync("waiting");
        await newcomer.StartAsync(new Dictionary<string, object>(options) { ["pairCode"] = code });
        await waiting.WaitForEventAsync("connect");
        await newcomer.WaitForEventAsync("connect");
        return (waiting, newcomer);
    }

    private static Task<JsonElement> DetailsAsync(PeerPage page) =>
        page.Page.EvaluateAsync<JsonElement>("() => peer.getPathDetails()");

    [Fact]
    public async Task Path_details_tell_the_WebSocket_relay_from_a_direct_WebRTC_route()
    {
        var (relayA, relayB) = await PairAsync(new() { ["webrtc"] = false });
        foreach (var page in new[] { relayA, relayB })
        {
            var details = await DetailsAsync(page);
            Assert.Equal("websocket", details.GetProperty("path").GetString());
            Assert.Equal(JsonValueKind.Null, details.GetProperty("route").ValueKind);
            Assert.Equal(JsonValueKind.Null, details.GetProperty("local").ValueKind);
            Assert.Equal(JsonValueKind.Null, details.GetProperty("remote").ValueKind);
        }

        var (a, b) = await PairAsync([]);
        foreach (var page in new[] { a, b })
        {
            await page.WaitForPathAsync("webrtc");
            var details = await DetailsAsync(page);
            Log($"details: {details}");
            Assert.Equal("webrtc", details.GetProperty("path").GetString());
            Assert.Equal("direct", details.GetProperty("route").GetString());
            Assert.Contains(details.GetProperty("local").GetString(), DirectCandidateTypes);
            Assert.Contains(details.GetProperty("remote").GetString(), DirectCandidateTypes);
        }
    }

    [Fact]
    public async Task A_session_without_iceServers_from_an_older_server_still_upgrades_with_host_candidates()
    {
        var (a, b) = await PairAsync([], IceScripts.Record + IceScripts.OlderServerSession);
        foreach (var page in new[] { a, b })
        {
            await page.WaitForPathAsync("webrtc");
            var session = (await page.LastArgAsync("session"))!.Value;
            Assert.False(session.TryGetProperty("iceServers", out _));
            Assert.Equal(32, session.GetProperty("id").GetString()!.Length);
            Assert.Equal(0, await page.Page.EvaluateAsync<int>("() => peer.iceServers.length"));
            Assert.Null(await page.Page.EvaluateAsync<long?>("() => peer.iceServersExpireAt"));
            var config = await page.Page.EvaluateAsync<JsonElement>("() => ice.configs[0]");
            Assert.Equal(0, config.GetProperty("iceServers").GetArrayLength());
            Assert.Equal("all", config.GetProperty("iceTransportPolicy").GetString());
        }
        Assert.Equal("webrtc", await a.SendAsync("a→b with host candidates"));
        Assert.Equal("webrtc", await b.ReceiveAsync("a→b with host candidates"));
    }

    [Fact]
    public async Task The_demo_shows_a_direct_WebRTC_route()
    {
        var code = "direct-" + Guid.NewGuid().ToString("N")[..8];
        var url = new Uri(Server.Http, "/#" + code).AbsoluteUri;
        var alice = await NewPageAsync("alice");
        await alice.GotoAsync(url);
        await Expect(alice.Locator("#state")).ToHaveAttributeAsync("data-state", "waiting");
        Assert.False(await alice.Locator("#path").EvaluateAsync<bool>("el => el.hasAttribute('data-route')"));
        var bob = await NewPageAsync("bob");
        await bob.GotoAsync(url);
        foreach (var page in new[] { alice, bob })
        {
            await Expect(page.Locator("#path")).ToHaveAttributeAsync("data-path", "webrtc");
            await Expect(page.Locator("#path")).ToHaveAttributeAsync("data-route", "direct");
            await Expect(page.Locator("#path-text")).ToHaveTextAsync("WebRTC, direct");
        }
    }
}
