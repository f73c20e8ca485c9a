using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SocketPeer.Gateway.JoinTokens;
using SocketPeer.Testing;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace SocketPeer.Browser.Tests;

/// <summary>A server that requires join tokens signed with one HS256 key; the test process plays the application's backend.</summary>
public sealed class JoinTokenBrowserFixture : BrowserFixture
{
    public static readonly byte[] Secret = RandomNumberGenerator.GetBytes(32);

    protected override (string, string)[] Settings =>
    [
        ("SocketPeer:JoinTokens:Required", "true"),
        ("SocketPeer:JoinTokens:Keys:0:Id", "app"),
        ("SocketPeer:JoinTokens:Keys:0:Algorithm", "HS256"),
        ("SocketPeer:JoinTokens:Keys:0:Secret", Convert.ToBase64String(Secret)),
    ];

    /// <summary>What a backend would answer for <paramref name="code"/>: a 5-minute token for that code alone.</summary>
    public static string Mint(string code) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Claims = new Dictionary<string, object> { [JoinTokenCheck.CodeClaim] = code },
        Expires = DateTime.UtcNow.AddMinutes(5),
        SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Secret) { KeyId = "app" }, SecurityAlgorithms.HmacSha256),
    });
}

/// <summary>The browser client's <c>joinToken</c> option against a server that requires join tokens.</summary>
public sealed class JoinTokenBrowserTests(JoinTokenBrowserFixture fixture, ITestOutputHelper output)
    : BrowserTest(fixture, output), IClassFixture<JoinTokenBrowserFixture>
{
    /// <summary>
    /// A page whose <c>joinToken</c> asks "the backend" (the test, through an exposed function) for
    /// a token, as a page would fetch one from its own server; <c>window.asked</c> lists the codes asked for.
    /// </summary>
    private async Task<PeerPage> StartWithBackendAsync(string name, string code)
    {
        var page = await NewPeerPageAsync(name);
        await page.Page.ExposeFunctionAsync("backendJoinToken", (string forCode) => JoinTokenBrowserFixture.Mint(forCode));
        await page.Page.EvaluateAsync("""
            code => startPeer({
              pairCode: code,
              joinToken: async (forCode) => { (window.asked ||= []).push(forCode); return await window.backendJoinToken(forCode); },
            })
            """, code);
        return page;
    }

    [Fact]
    public async Task Pages_that_fetch_a_token_for_every_pair_are_paired_and_a_new_code_gets_a_fresh_token()
    {
        var code = Codes.New();
        var a = await StartWithBackendAsync("a", code);
        await a.WaitForStateAsync("waiting");
        var b = await StartWithBackendAsync("b", code);
        await a.WaitForEventAsync("connect");
        await b.WaitForEventAsync("connect");
        Assert.Equal([code], await a.Page.EvaluateAsync<string[]>("() => window.asked"));

        // Pairing again with another code asks for a token for that code; a third page waits there.
        var other = Codes.New();
        var c = await StartWithBackendAsync("c", other);
        await c.WaitForStateAsync("waiting");
        await a.Page.EvaluateAsync("code => peer.pair(code)", other);
        await c.WaitForEventAsync("connect");
        await a.WaitForEventAsync("connect", 2);
        Assert.Equal([code, other], await a.Page.EvaluateAsync<string[]>("() => window.asked"));
        Assert.Equal(0, await a.CountAsync("server.error"));
    }

    [Fact]
    public async Task A_page_without_a_token_hears_join_token_required_and_is_never_paired()
    {
        var code = Codes.New();
        var tokenless = await NewPeerPageAsync("tokenless");
        await tokenless.StartAsync(new { pairCode = code });
        await tokenless.WaitAsync("() => window.events.some(e => e.name === 'server.error' && e.arg.code === 'join-token-required')");

        var a = await StartWithBackendAsync("a", code);
        await a.WaitForStateAsync("waiting");
        var b = await StartWithBackendAsync("b", code);
        await a.WaitForEventAsync("connect");
        await b.WaitForEventAsync("connect");
        Assert.Equal(0, await tokenless.CountAsync("connect"));
    }

    [Fact]
    public async Task A_token_function_that_fails_is_an_error_event_and_no_pair_is_sent()
    {
        var page = await NewPeerPageAsync("failing");
        await page.Page.EvaluateAsync("""
            code => startPeer({ pairCode: code, joinToken: () => Promise.reject(new Error('backend down')) })
            """, Codes.New());

        await page.WaitAsync("() => window.events.some(e => e.name === 'error' && e.arg.code === 'join-token')");
        await page.Page.EvaluateAsync("() => peer.socket && peer.socket.send(JSON.stringify({ type: 'probe.nothing-sent' }))");
        // The server answers the probe with unknown-type; had a tokenless pair gone out first, join-token-required would precede it.
        await page.WaitAsync("() => window.events.some(e => e.name === 'server.error')");
        var first = await page.Page.EvaluateAsync<string>("() => window.events.find(e => e.name === 'server.error').arg.code");
        Assert.Equal("unknown-type", first);
    }

    [Fact]
    public async Task The_demo_pairs_with_a_token_in_its_address_and_says_what_is_missing_without_one()
    {
        var code = Codes.New();
        async Task<Microsoft.Playwright.IPage> OpenDemoAsync(string name, string? token)
        {
            var page = await NewPageAsync(name);
            var query = token is null ? "" : "?token=" + Uri.EscapeDataString(token);
            await page.GotoAsync(new Uri(Server.Http, "/" + query + "#" + Uri.EscapeDataString(code)).AbsoluteUri);
            return page;
        }

        var without = await OpenDemoAsync("without", token: null);
        await Expect(without.Locator("#notice")).ToContainTextAsync("join token");

        var alice = await OpenDemoAsync("alice", JoinTokenBrowserFixture.Mint(code));
        await Expect(alice.Locator("#state")).ToHaveAttributeAsync("data-state", "waiting");
        var bob = await OpenDemoAsync("bob", JoinTokenBrowserFixture.Mint(code));
        await Expect(alice.Locator("#state")).ToHaveAttributeAsync("data-state", "connected");
        await Expect(bob.Locator("#state")).ToHaveAttributeAsync("data-state", "connected");
        await Expect(alice.Locator("#share-link")).Not.ToContainTextAsync("token");
    }
}
