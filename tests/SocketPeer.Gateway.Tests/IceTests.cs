using System.Net;
using System.Text.Json;
using SocketPeer.Gateway.Ice;
using SocketPeer.Gateway.Options;
using SocketPeer.Testing;

namespace SocketPeer.Gateway.Tests;

public sealed class IceFixture : ServerFixture
{
    public const string Secret = "test-secret-never-sent";

    protected override (string, string)[] Settings =>
    [
        ("SocketPeer:Ice:StunUrls:0", "stun:stun.example.net:3478"),
        ("SocketPeer:Ice:TurnUrls:0", "turn:turn.example.net:3478?transport=udp"),
        ("SocketPeer:Ice:TurnUrls:1", "turns:turn.example.net:5349"),
        ("SocketPeer:Ice:TurnSecret", Secret),
        ("SocketPeer:Ice:CredentialLifetime", "00:10:00"),
        ("SocketPeer:AllowedOrigins:0", "https://chat.example.com"),
    ];
}

public sealed class IceTests(IceFixture fixture) : IClassFixture<IceFixture>
{
    [Fact]
    public async Task The_session_message_carries_stun_and_a_fresh_turn_credential()
    {
        await using var client = await TestClient.ConnectAsync(fixture.Server.Socket, receive: true);

        var session = client.SessionMessage;
        var servers = session.GetProperty("data").GetProperty("iceServers").EnumerateArray().ToArray();

        Assert.Equal(["stun:stun.example.net:3478"], Urls(servers[0]));
        Assert.False(servers[0].TryGetProperty("credential", out _));
        Assert.Equal(["turn:turn.example.net:3478?transport=udp", "turns:turn.example.net:5349"], Urls(servers[1]));
        AssertValidTurnCredential(servers[1], expectedId: client.SessionId);
        Assert.DoesNotContain(IceFixture.Secret, session.GetRawText());
    }

    [Fact]
    public async Task The_ice_endpoint_serves_a_list_with_a_credential_that_expires()
    {
        using var http = fixture.Server.CreateHttpClient();
        using var response = await http.GetAsync(IceEndpoint.Path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString());
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var servers = body.GetProperty("iceServers").EnumerateArray().ToArray();
        AssertValidTurnCredential(servers[1], expectedId: null);
        var expires = DateTimeOffset.FromUnixTimeSeconds(body.GetProperty("iceServersExpireAt").GetInt64());
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(11));
    }

    [Fact]
    public async Task The_ice_endpoint_refuses_a_disallowed_origin_and_allows_a_listed_one()
    {
        using var http = fixture.Server.CreateHttpClient();
        using var evil = new HttpRequestMessage(HttpMethod.Get, IceEndpoint.Path) { Headers = { { "Origin", "https://evil.example.net" } } };
        using var good = new HttpRequestMessage(HttpMethod.Get, IceEndpoint.Path) { Headers = { { "Origin", "https://chat.example.com" } } };

        using var refused = await http.SendAsync(evil);
        using var served = await http.SendAsync(good);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("https://chat.example.com", served.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    internal static string[] Urls(JsonElement server) =>
        server.GetProperty("urls").EnumerateArray().Select(u => u.GetString()!).ToArray();

    private static void AssertValidTurnCredential(JsonElement server, string? expectedId)
    {
        var username = server.GetProperty("username").GetString()!;
        var parts = username.Split(':', 2);
        var expiry = DateTimeOffset.FromUnixTimeSeconds(long.Parse(parts[0]));
        Assert.InRange(expiry - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(11));
        if (expectedId is not null) Assert.Equal(expectedId, parts[1]);
        Assert.Equal(TurnCredentials.Create(IceFixture.Secret, parts[1], expiry).Credential,
            server.GetProperty("credential").GetString());
    }
}

public sealed class IceRateLimitTests
{
    [Fact]
    public async Task The_ice_endpoint_is_rate_limited_per_address()
    {
        await using var server = await SocketPeerServer.StartAsync();
        using var http = server.CreateHttpClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i <= Gateway.Hosting.SocketPeerServices.IceRequestsPerMinute; i++)
        {
            using var response = await http.GetAsync(IceEndpoint.Path);
            statuses.Add(response.StatusCode);
        }

        Assert.All(statuses.Take(statuses.Count - 1), s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
    }
}

/// <summary>
/// The default public STUN list (README, "What leaves the machine"): on unless switched off, replaced
/// by configured URLs. The test hosts switch it off (SocketPeerServer); these tests turn it on where
/// they need it. Nothing here contacts a STUN server: the gateway only hands the list out.
/// </summary>
public sealed class DefaultStunTests
{
    [Fact]
    public async Task Without_ice_options_clients_get_the_default_public_stun_list()
    {
        // As a fresh deployment runs (the test hosts turn the default off).
        await using var server = await SocketPeerServer.StartAsync(("SocketPeer:Ice:DefaultStun", "true"));
        await using var client = await server.ConnectAsync();

        var servers = client.SessionMessage.GetProperty("data").GetProperty("iceServers").EnumerateArray().ToArray();
        Assert.Equal(IceOptions.DefaultStunUrls, IceTests.Urls(Assert.Single(servers)));
        Assert.False(servers[0].TryGetProperty("credential", out _));
        using var http = server.CreateHttpClient();
        var body = JsonDocument.Parse(await http.GetStringAsync(IceEndpoint.Path)).RootElement;
        Assert.Equal(IceOptions.DefaultStunUrls, IceTests.Urls(Assert.Single(body.GetProperty("iceServers").EnumerateArray().ToArray())));
    }

    [Fact]
    public async Task Configured_stun_urls_replace_the_default_list_rather_than_extend_it()
    {
        await using var server = await SocketPeerServer.StartAsync(
            ("SocketPeer:Ice:DefaultStun", "true"), ("SocketPeer:Ice:StunUrls:0", "stun:stun.example.net:3478"));
        await using var client = await server.ConnectAsync();

        var servers = client.SessionMessage.GetProperty("data").GetProperty("iceServers").EnumerateArray().ToArray();
        Assert.Equal(["stun:stun.example.net:3478"], IceTests.Urls(Assert.Single(servers)));
    }

    [Fact]
    public async Task The_switch_removes_the_default_list()
    {
        await using var server = await SocketPeerServer.StartAsync(("SocketPeer:Ice:DefaultStun", "false"));
        await using var client = await server.ConnectAsync();
        Assert.Equal(0, client.SessionMessage.GetProperty("data").GetProperty("iceServers").GetArrayLength());
        using var http = server.CreateHttpClient();
        var body = JsonDocument.Parse(await http.GetStringAsync(IceEndpoint.Path)).RootElement;
        Assert.Equal(0, body.GetProperty("iceServers").GetArrayLength());
    }

    [Fact]
    public async Task With_the_default_off_configured_stun_urls_are_still_handed_out()
    {
        await using var server = await SocketPeerServer.StartAsync(
            ("SocketPeer:Ice:DefaultStun", "false"), ("SocketPeer:Ice:StunUrls:0", "stun:stun.example.net:3478"));
        await using var client = await server.ConnectAsync();
        var servers = client.SessionMessage.GetProperty("data").GetProperty("iceServers").EnumerateArray().ToArray();
        Assert.Equal(["stun:stun.example.net:3478"], IceTests.Urls(Assert.Single(servers)));
    }
}
