using System.Text.Json;
using SocketPeer.Testing;
using Xunit.Abstractions;

namespace SocketPeer.Browser.Tests;

/// <summary>A server minting TURN credentials that live 4 s (no TURN server needed: nothing connects to it).</summary>
public sealed class ShortCredentialFixture : BrowserFixture
{
    public const string TurnUrl = "turn:127.0.0.1:9?transport=udp";

    protected override (string, string)[] Settings =>
    [
        ("SocketPeer:Ice:TurnUrls:0", TurnUrl),
        ("SocketPeer:Ice:TurnSecret", "refresh-test-secret"),
        ("SocketPeer:Ice:CredentialLifetime", "00:00:04"),
    ];
}

/// <summary>The client fetches a fresh TURN credential from <c>GET /socketpeer/ice</c> before its own expires.</summary>
public sealed class IceRefreshTests(ShortCredentialFixture fixture, ITestOutputHelper output)
    : BrowserTest(fixture, output), IClassFixture<ShortCredentialFixture>
{
    [Fact]
    public async Task The_client_refreshes_the_TURN_credential_before_it_expires()
    {
        var page = await NewPeerPageAsync("refreshing");
        await page.StartAsync(new { pairCode = Codes.New() });
        await page.WaitForEventAsync("session");
        var first = await page.Page.EvaluateAsync<JsonElement>("() => ({ at: peer.iceServersExpireAt, list: peer.iceServers })");
        var firstExpiry = first.GetProperty("at").GetInt64();
        var firstUser = first.GetProperty("list")[0].GetProperty("username").GetString();

        // Refreshed shortly before the expiry: a later expiry and a new credential, same socket and session.
        await page.WaitAsync("first => peer.iceServersExpireAt > first", firstExpiry);
        var fresh = await page.Page.EvaluateAsync<JsonElement>("() => peer.iceServers");
        var turn = Assert.Single(fresh.EnumerateArray());
        Assert.Equal(ShortCredentialFixture.TurnUrl, turn.GetProperty("urls")[0].GetString());
        Assert.NotEqual(firstUser, turn.GetProperty("username").GetString());
        Assert.NotEmpty(turn.GetProperty("credential").GetString()!);
        Assert.Equal(1, await page.CountAsync("session"));
        Assert.Equal(1, await page.CountAsync("connect_attempt"));
    }
}
