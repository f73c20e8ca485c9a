using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SocketPeer.Gateway.Hosting;
using SocketPeer.Gateway.Ice;
using SocketPeer.Gateway.Options;
using SocketPeer.Testing;

namespace SocketPeer.Gateway.Tests;

/// <summary>Per-address limits on a real host: every client here is a loopback address (127.0.0.x).</summary>
public sealed class ConnectRateTests
{
    [Fact]
    public async Task New_sockets_past_the_burst_get_429_with_retry_after_and_another_address_is_admitted()
    {
        await using var server = await SocketPeerServer.StartAsync(
            ("SocketPeer:ConnectsPerMinute", "1"), ("SocketPeer:ConnectBurst", "3"), ("SocketPeer:ConnectionsPerAddress", "3"));

        var burst = new List<Loopback.Upgrade>();
        for (var i = 0; i < 3; i++) burst.Add(await Loopback.TryUpgradeAsync(server.Socket));
        Assert.All(burst, u => Assert.True(u.Admitted, $"answered {u.Status}"));
        foreach (var upgrade in burst) upgrade.Socket.Abort();

        // The three sockets' concurrency leases end a moment after the server sees them go: until then
        // the concurrent limit answers (429 without Retry-After, no connect spent); then the rate does.
        Loopback.Upgrade? refused = null;
        await Retry.UntilAsync(async () =>
        {
            refused?.Dispose();
            refused = await Loopback.TryUpgradeAsync(server.Socket);
            return refused.RetryAfter is not null || refused.Admitted;
        });
        using var _ = refused;
        Assert.Equal(HttpStatusCode.TooManyRequests, refused!.Status);
        Assert.InRange(int.Parse(refused.RetryAfter!), 1, 60);
        Assert.Equal(1, server.Metrics.Snapshot().Limited.GetValueOrDefault("new-sockets"));

        using var elsewhere = Loopback.From(IPAddress.Parse("127.0.0.2"));
        using var other = await Loopback.TryUpgradeAsync(server.Socket, elsewhere);
        Assert.True(other.Admitted, $"another address answered {other.Status}");
        foreach (var upgrade in burst) upgrade.Dispose();
    }

    /// <summary>
    /// A node crash, at the default limits: a NAT's clients (as many as <c>ConnectionsPerAddress</c>
    /// allows, all on one address) lose their sockets at once and reconnect at once, each pairing
    /// again and getting a TURN credential. None of them may be refused by a rate limit.
    /// </summary>
    [Fact]
    public async Task A_whole_NAT_reconnecting_at_once_after_a_crash_is_admitted_at_the_default_limits()
    {
        var defaults = new SocketPeerOptions();
        await using var server = await SocketPeerServer.StartAsync(
        [
            ("SocketPeer:ConnectsPerMinute", $"{defaults.ConnectsPerMinute}"), ("SocketPeer:ConnectBurst", $"{defaults.ConnectBurst}"),
            ("SocketPeer:PairsPerMinute", $"{defaults.PairsPerMinute}"), ("SocketPeer:PairBurst", $"{defaults.PairBurst}"),
            ("SocketPeer:BusyPerMinute", $"{defaults.BusyPerMinute}"), ("SocketPeer:BusyBurst", $"{defaults.BusyBurst}"),
            ("SocketPeer:Ice:CredentialsPerMinute", $"{defaults.Ice.CredentialsPerMinute}"),
            ("SocketPeer:Ice:CredentialBurst", $"{defaults.Ice.CredentialBurst}"),
            ("SocketPeer:Ice:TurnUrls:0", "turn:turn.example.net:3478"), ("SocketPeer:Ice:TurnSecret", "nat-test"),
        ]);
        var nat = defaults.ConnectionsPerAddress; // 32 clients, 16 pairs

        var before = await PairAllAsync(server, nat);
        foreach (var client in before) client.Abort(); // the node's sockets are gone, all at once
        await Retry.UntilAsync(() => Task.FromResult(server.Services.GetRequiredService<ConnectionDrain>().Open == 0));
        foreach (var client in before) await client.DisposeAsync();

        var after = await PairAllAsync(server, nat);
        foreach (var client in after) await client.DisposeAsync();
    }

    /// <summary>Connects <paramref name="count"/> clients at once, checks each got a TURN credential, and pairs them two by two.</summary>
    private static async Task<List<TestClient>> PairAllAsync(SocketPeerServer server, int count)
    {
        // Only the concurrent limit may refuse (the old sockets' leases ending): retried, it spends no connect.
        var rateLimited = false;
        var clients = (await Task.WhenAll(Enumerable.Range(0, count).Select(async _ =>
        {
            TestClient? client = null;
            await Retry.UntilAsync(async () =>
            {
                var upgrade = await Loopback.TryUpgradeAsync(server.Socket);
                if (upgrade.RetryAfter is not null) rateLimited = true; // the test fails below
                if (!upgrade.Admitted)
                {
                    upgrade.Dispose();
                    return rateLimited;
                }
                client = await TestClient.AttachAsync(upgrade.Socket);
                return true;
            });
            Assert.False(rateLimited, "a reconnect was refused by a rate limit");
            return client!;
        }))).ToList();
        foreach (var client in clients)
        {
            var servers = client.SessionMessage.GetProperty("data").GetProperty("iceServers");
            Assert.Contains(servers.EnumerateArray(), s => s.TryGetProperty("credential", out _));
        }
        for (var i = 0; i < count; i += 2)
        {
            var code = Codes.New();
            await clients[i].PairAsync(code);
            await clients[i + 1].PairAsync(code);
        }
        foreach (var client in clients) await client.ExpectAsync("peer.found");
        return clients;
    }
}

public sealed class PairLimitTests
{
    [Fact]
    public async Task Pair_attempts_past_the_burst_are_refused_with_pair_limited_and_not_sent_on()
    {
        await using var server = await SocketPeerServer.StartAsync(
            ("SocketPeer:PairsPerMinute", "1"), ("SocketPeer:PairBurst", "3"), ("SocketPeer:ConnectionsPerAddress", "3"));
        await using var guesser = await server.ConnectAsync();

        for (var i = 0; i < 3; i++) await guesser.PairAsync(Codes.New()); // each waits alone, then switches code
        var refused = Codes.New();
        await guesser.PairAsync(refused);
        await guesser.ExpectErrorAsync("pair-limited");

        // The refused pair never reached a room: a partner from another address waits there alone.
        using var elsewhere = Loopback.From(IPAddress.Parse("127.0.0.2"));
        await using var partner = await TestClient.ConnectAsync(server.Socket, from: elsewhere);
        await partner.PairAsync(refused);
        await partner.ExpectNothingPendingAsync();
        await guesser.ExpectNothingPendingAsync();
        Assert.Equal(1, server.Metrics.Snapshot().Errors.GetValueOrDefault("pair-limited"));
        Assert.Equal(1, server.Metrics.Snapshot().Limited.GetValueOrDefault("pairs"));
    }

    [Fact]
    public async Task An_address_that_keeps_hearing_busy_has_its_pair_refused()
    {
        await using var server = await SocketPeerServer.StartAsync(
            ("SocketPeer:BusyPerMinute", "1"), ("SocketPeer:BusyBurst", "2"), ("SocketPeer:ConnectionsPerAddress", "2"));
        using var elsewhere = Loopback.From(IPAddress.Parse("127.0.0.3"));
        await using var a = await TestClient.ConnectAsync(server.Socket, from: elsewhere);
        await using var b = await TestClient.ConnectAsync(server.Socket, from: elsewhere);
        var taken = Codes.New();
        await a.PairAsync(taken);
        await b.PairAsync(taken);
        await a.ExpectAsync("peer.found");
        await b.ExpectAsync("peer.found");

        await using var guesser = await server.ConnectAsync();
        for (var i = 0; i < 2; i++)
        {
            await guesser.PairAsync(taken);
            await guesser.ExpectAsync("busy");
        }
        await guesser.PairAsync(taken);
        await guesser.ExpectErrorAsync("pair-limited");

        // The pair was not disturbed, and the busy address's limit is its own.
        await Pairs.AssertRelaysAsync(a, b);
        await a.PairAsync(Codes.New());
        await a.ExpectNothingPendingAsync();
        await b.ExpectAsync("peer.left");
    }
}

public sealed class TurnCredentialLimitTests
{
    [Fact]
    public async Task Past_the_credential_burst_a_session_carries_no_turn_server_and_the_ice_endpoint_answers_429()
    {
        await using var server = await SocketPeerServer.StartAsync(
            ("SocketPeer:Ice:CredentialsPerMinute", "1"), ("SocketPeer:Ice:CredentialBurst", "2"),
            ("SocketPeer:ConnectionsPerAddress", "2"),
            ("SocketPeer:Ice:StunUrls:0", "stun:stun.example.net:3478"),
            ("SocketPeer:Ice:TurnUrls:0", "turn:turn.example.net:3478"), ("SocketPeer:Ice:TurnSecret", "limit-test"));
        using var http = server.CreateHttpClient();

        await using var first = await server.ConnectAsync();
        Assert.True(HasTurn(first.SessionMessage.GetProperty("data")));
        using (var listed = await http.GetAsync(IceEndpoint.Path))
        {
            Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
            Assert.True(HasTurn(JsonDocument.Parse(await listed.Content.ReadAsStringAsync()).RootElement));
        }

        await using var second = await server.ConnectAsync(); // the bucket is empty now
        var data = second.SessionMessage.GetProperty("data");
        Assert.False(HasTurn(data));
        Assert.Equal(["stun:stun.example.net:3478"], data.GetProperty("iceServers").EnumerateArray()
            .SelectMany(s => s.GetProperty("urls").EnumerateArray()).Select(u => u.GetString()));
        Assert.False(data.TryGetProperty("iceServersExpireAt", out _));
        using var refused = await http.GetAsync(IceEndpoint.Path);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Equal(2, server.Metrics.Snapshot().Limited.GetValueOrDefault("turn-credentials"));

        // Another address has its own credentials.
        using var elsewhere = Loopback.From(IPAddress.Parse("127.0.0.4"));
        await using var other = await TestClient.ConnectAsync(server.Socket, from: elsewhere);
        Assert.True(HasTurn(other.SessionMessage.GetProperty("data")));
    }

    private static bool HasTurn(JsonElement list) =>
        list.GetProperty("iceServers").EnumerateArray().Any(s => s.TryGetProperty("credential", out _));
}

public sealed class ForwardedHeadersTests
{
    [Fact]
    public async Task Forwarded_for_is_believed_from_a_trusted_proxy_only()
    {
        await using var server = await SocketPeerServer.StartAsync(
            ("SocketPeer:TrustedProxies:0", "127.0.0.2"), ("SocketPeer:ConnectionsPerAddress", "1"));
        using var proxy = Loopback.From(IPAddress.Parse("127.0.0.2"));

        // From an untrusted source the header is ignored: both count as 127.0.0.1.
        using var direct = await Loopback.TryUpgradeAsync(server.Socket, forwardedFor: "203.0.113.1");
        using var spoofed = await Loopback.TryUpgradeAsync(server.Socket, forwardedFor: "203.0.113.2");
        Assert.True(direct.Admitted);
        Assert.Equal(HttpStatusCode.TooManyRequests, spoofed.Status);
        Assert.Equal(1, server.Metrics.Snapshot().Limited.GetValueOrDefault("open-sockets"));

        // Through the proxy, each forwarded client is its own address.
        using var viaProxy = await Loopback.TryUpgradeAsync(server.Socket, proxy, forwardedFor: "203.0.113.1");
        using var again = await Loopback.TryUpgradeAsync(server.Socket, proxy, forwardedFor: "203.0.113.1");
        using var another = await Loopback.TryUpgradeAsync(server.Socket, proxy, forwardedFor: "203.0.113.2");
        Assert.True(viaProxy.Admitted);
        Assert.Equal(HttpStatusCode.TooManyRequests, again.Status);
        Assert.True(another.Admitted);

        // What a client wrote itself, left of the proxy's entry, is not reached: the entry the
        // proxy added (198.51.100.7) is not a trusted proxy, so the walk stops there.
        using var chained = await Loopback.TryUpgradeAsync(server.Socket, proxy, forwardedFor: "203.0.113.9, 198.51.100.7");
        using var sameClient = await Loopback.TryUpgradeAsync(server.Socket, proxy, forwardedFor: "198.51.100.7");
        Assert.True(chained.Admitted);
        Assert.Equal(HttpStatusCode.TooManyRequests, sameClient.Status);
    }

    [Fact]
    public async Task Forwarded_IPv6_clients_are_limited_by_their_slash_64()
    {
        await using var server = await SocketPeerServer.StartAsync(
            ("SocketPeer:TrustedProxies:0", "127.0.0.1"), ("SocketPeer:ConnectionsPerAddress", "1"));

        using var first = await Loopback.TryUpgradeAsync(server.Socket, forwardedFor: "2001:db8:1:2::1");
        using var sameSlash64 = await Loopback.TryUpgradeAsync(server.Socket, forwardedFor: "2001:db8:1:2:ffff::2");
        using var nextSlash64 = await Loopback.TryUpgradeAsync(server.Socket, forwardedFor: "2001:db8:1:3::1");

        Assert.True(first.Admitted);
        Assert.Equal(HttpStatusCode.TooManyRequests, sameSlash64.Status);
        Assert.True(nextSlash64.Admitted);
    }

    [Fact]
    public async Task On_a_real_IPv6_socket_the_per_address_limits_apply()
    {
        // Loopback has one IPv6 address, ::1, so this shows only the IPv6 path end to end (its key is
        // ::/64); that other /64s count apart is shown through a trusted proxy above.
        await using var server = await SocketPeerServer.StartAsync(("urls", "http://[::1]:0"), ("SocketPeer:ConnectionsPerAddress", "1"));
        Assert.Equal("[::1]", server.Http.Host);
        var key = Gateway.Limits.ClientAddress.KeyOf(IPAddress.IPv6Loopback, 32, new SocketPeerOptions().IPv6PrefixLength);

        using var first = await Loopback.TryUpgradeAsync(server.Socket);
        using var second = await Loopback.TryUpgradeAsync(server.Socket);

        Assert.Equal("::/64", key);
        Assert.True(first.Admitted);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.Status);
    }

    [Fact]
    public async Task Without_trusted_proxies_forwarded_for_is_ignored()
    {
        await using var server = await SocketPeerServer.StartAsync(("SocketPeer:ConnectionsPerAddress", "1"));

        using var first = await Loopback.TryUpgradeAsync(server.Socket, forwardedFor: "203.0.113.1");
        using var second = await Loopback.TryUpgradeAsync(server.Socket, forwardedFor: "203.0.113.2");

        Assert.True(first.Admitted);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.Status);
    }
}

public sealed class ManagementPortFixture : ServerFixture
{
    protected override (string, string)[] Settings => [("SocketPeer:ManagementUrl", "http://127.0.0.1:0")];
}

public sealed class ManagementPortTests(ManagementPortFixture fixture) : IClassFixture<ManagementPortFixture>
{
    [Theory]
    [InlineData("/healthz")]
    [InlineData("/ready")]
    [InlineData("/metrics")]
    public async Task Health_and_metrics_are_served_on_the_management_listener_only(string path)
    {
        var server = fixture.Server;
        Assert.NotNull(server.Management);
        Assert.NotEqual(server.Http.Port, server.Management!.Port);
        using var management = new HttpClient { BaseAddress = server.Management };
        using var open = server.CreateHttpClient();

        using var served = await management.GetAsync(path);
        using var hidden = await open.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
    }

    [Fact]
    public async Task The_management_listener_serves_nothing_else()
    {
        using var management = new HttpClient { BaseAddress = fixture.Server.Management };

        foreach (var path in new[] { "/", "/socketpeer/socketpeer.js", IceEndpoint.Path, SocketPeerEndpoints.SocketPath })
        {
            using var response = await management.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
        using var upgrade = await Loopback.TryUpgradeAsync(new UriBuilder(fixture.Server.Management!) { Scheme = "ws", Path = "/socketpeer/" }.Uri);
        Assert.Equal(HttpStatusCode.NotFound, upgrade.Status);
    }

    [Fact]
    public async Task The_public_listener_serves_sockets_and_the_client()
    {
        using var open = fixture.Server.CreateHttpClient();
        using var library = await open.GetAsync("/socketpeer/socketpeer.js");
        Assert.Equal(HttpStatusCode.OK, library.StatusCode);

        var (a, b) = await Pairs.OpenAsync(fixture.Server);
        await using var _ = a;
        await using var __ = b;
        await Pairs.AssertRelaysAsync(a, b);
    }
}
