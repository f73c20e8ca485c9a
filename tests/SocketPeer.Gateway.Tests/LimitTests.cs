using System.Net;
using System.Net.WebSockets;
using SocketPeer.Testing;

namespace SocketPeer.Gateway.Tests;

public sealed class RateLimitFixture : ServerFixture
{
    // A slow refill makes the limit deterministic on a loaded machine: a test's sends always outrun it.
    protected override (string, string)[] Settings =>
        [("SocketPeer:MessagesPerSecond", "1"), ("SocketPeer:MessageBurst", "5")];
}

public sealed class RateLimitTests(RateLimitFixture fixture) : IClassFixture<RateLimitFixture>
{
    [Fact]
    public async Task A_flood_is_dropped_with_one_rate_limited_error_then_closed_with_1008()
    {
        var (flooder, partner) = await Pairs.OpenAsync(fixture.Server);
        await using var _ = flooder;
        await using var __ = partner;

        for (var i = 0; i < 5; i++) await flooder.SendAsync("data", i); // the burst
        for (var i = 0; i < 4; i++)
            Assert.Equal(i, (await partner.ExpectAsync("data")).GetProperty("data").GetInt32());
        // The bucket held 5 (one went on pair) and refills at 1/s, so the flood below is over the limit.
        // The server closes part-way through (after the warning and one more burst): stop there.
        for (var i = 0; i < 20 && flooder.Socket.State == WebSocketState.Open; i++)
        {
            try
            {
                await flooder.SendAsync("data", 100 + i);
            }
            catch (WebSocketException) when (flooder.Socket.State != WebSocketState.Open)
            {
                break;
            }
        }

        await flooder.ExpectErrorAsync("rate-limited");
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await flooder.ClosedAsync());
        Assert.Equal("rate-limited", flooder.Socket.CloseStatusDescription);
        await partner.ExpectAsync("peer.left");
    }

    /// <summary>
    /// The close must reach a flooder even when thousands of its frames are still unread: ending
    /// the request with unread bytes makes the kernel reset the connection, and a reset can
    /// overtake our close frame (the browser then reports 1006, not 1008). Several at once so
    /// either order of the connection's two streams ending is exercised.
    /// </summary>
    [Fact]
    public async Task A_flooder_with_frames_still_unread_gets_the_1008_close_frame_not_a_reset()
    {
        var flood = Enumerable.Range(0, 8).Select(async _ =>
        {
            using var socket = new ClientWebSocket();
            await socket.ConnectAsync(fixture.Server.Socket, CancellationToken.None);
            var frame = "{\"type\":\"flood.test\"}"u8.ToArray();
            try
            {
                for (var i = 0; i < 3000; i++)
                    await socket.SendAsync(frame, WebSocketMessageType.Text, true, CancellationToken.None);
            }
            catch (WebSocketException) { } // the server may finish closing before the flood ends
            return await ReadUntilCloseAsync(socket);
        });

        foreach (var status in await Task.WhenAll(flood))
            Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
    }

    private static async Task<WebSocketCloseStatus?> ReadUntilCloseAsync(WebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TestClient.Timeout);
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, timeout.Token);
                if (result.MessageType == WebSocketMessageType.Close) return result.CloseStatus;
            }
        }
        catch (WebSocketException e)
        {
            throw new Xunit.Sdk.XunitException($"the connection broke before the close frame arrived: {e.Message}");
        }
    }
}

public sealed class ConnectionLimitFixture : ServerFixture
{
    protected override (string, string)[] Settings => [("SocketPeer:ConnectionsPerAddress", "2")];
}

public sealed class ConnectionLimitTests(ConnectionLimitFixture fixture) : IClassFixture<ConnectionLimitFixture>
{
    [Fact]
    public async Task Sockets_over_the_per_address_limit_get_429_and_a_freed_slot_is_reusable()
    {
        await using var first = await fixture.Server.ConnectAsync();
        var second = await fixture.Server.ConnectAsync();

        using var third = new ClientWebSocket();
        third.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => third.ConnectAsync(fixture.Server.Socket, CancellationToken.None));
        Assert.Equal(HttpStatusCode.TooManyRequests, third.HttpStatusCode);

        await second.DisposeAsync();
        await Retry.UntilAsync(async () =>
        {
            await using var again = await fixture.Server.ConnectAsync();
            return true;
        });
        await first.ExpectNothingPendingAsync();
    }
}

public sealed class OriginFixture : ServerFixture
{
    protected override (string, string)[] Settings => [("SocketPeer:AllowedOrigins:0", "https://chat.example.com")];
}

public sealed class OriginTests(OriginFixture fixture) : IClassFixture<OriginFixture>
{
    [Fact]
    public async Task A_disallowed_origin_gets_403_before_the_upgrade()
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Origin", "https://evil.example.net");

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(fixture.Server.Socket, CancellationToken.None));

        Assert.Equal(HttpStatusCode.Forbidden, socket.HttpStatusCode);
    }

    [Fact]
    public async Task An_allowed_origin_connects()
    {
        await using var client = await fixture.Server.ConnectAsync(origin: "https://chat.example.com");
        Assert.NotEmpty(client.SessionId);
    }
}

public sealed class PeerTimeoutFixture : ServerFixture
{
    // Short, so a test waits little for the timeout; every pairing meant to succeed sends both pairs
    // back to back from sockets already open, so a loaded box cannot stretch it past the timeout.
    protected override (string, string)[] Settings => [("SocketPeer:PeerTimeout", "00:00:01")];
}

public sealed class PeerTimeoutTests(PeerTimeoutFixture fixture) : IClassFixture<PeerTimeoutFixture>
{
    [Fact]
    public async Task A_peer_waiting_too_long_is_told_peer_timeout_and_can_wait_again()
    {
        await using var lone = await fixture.Server.ConnectAsync();
        var code = Codes.New();
        await lone.PairAsync(code);

        await lone.ExpectErrorAsync("peer-timeout");

        await using var partner = await fixture.Server.ConnectAsync();
        await lone.PairAsync(code); // the socket stays; pairing again works
        await partner.PairAsync(code);
        await lone.ExpectAsync("peer.found");
        await partner.ExpectAsync("peer.found");
        await Pairs.AssertRelaysAsync(lone, partner);
    }

    [Fact]
    public async Task A_timed_out_peer_no_longer_holds_the_room()
    {
        await using var lone = await fixture.Server.ConnectAsync();
        var code = Codes.New();
        await lone.PairAsync(code);
        await lone.ExpectErrorAsync("peer-timeout");

        await using var a = await fixture.Server.ConnectAsync();
        await using var b = await fixture.Server.ConnectAsync();
        await a.PairAsync(code);
        await b.PairAsync(code);

        await a.ExpectAsync("peer.found");
        await b.ExpectAsync("peer.found");
        await lone.ExpectNothingPendingAsync();
    }
}
