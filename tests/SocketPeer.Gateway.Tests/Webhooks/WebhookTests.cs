using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using SocketPeer.Actors.Diagnostics;
using SocketPeer.Gateway.Webhooks;
using SocketPeer.Testing;

namespace SocketPeer.Gateway.Tests.Webhooks;

/// <summary>
/// Room events reach the application's backend as signed webhooks (docs/webhooks.md), from a real
/// server to a receiver inside the test; and a receiver that is down costs the relay nothing.
/// </summary>
public sealed class WebhookTests
{
    private const string Secret = "webhook-secret-for-tests-0123456789abcdef";
    private const string RetiredSecret = "the-previous-webhook-secret-0123456789abc";

    private static (string, string)[] WebhookTo(Uri url, params (string, string)[] more) =>
    [
        ("SocketPeer:Webhook:Url", url.ToString()),
        ("SocketPeer:Webhook:Secret", Secret),
        ("SocketPeer:Webhook:PreviousSecrets:0", RetiredSecret),
        .. more,
    ];

    [Fact]
    public async Task A_pairing_is_announced_formed_then_ended_with_its_duration_and_reason_signed_with_each_secret()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var server = await SocketPeerServer.StartAsync(WebhookTo(receiver.Url));
        var clock = Stopwatch.StartNew();
        var (a, b) = await Pairs.OpenAsync(server);
        await using var _ = b;
        await Pairs.AssertRelaysAsync(a, b);

        await a.DisposeAsync(); // a closes its socket: its session ends, and b hears peer.left
        await b.ExpectAsync("peer.left");
        var events = await receiver.UntilAsync(r => r.Count(e => e.Type == "pair.ended") == 2 && r.Any(e => e.Type == "pair.formed"));
        var elapsed = clock.Elapsed;

        var formed = Assert.Single(events, e => e.Type == "pair.formed");
        // The initiator (the newcomer; either, as both paired at once) announces the pair.
        Assert.Equal(a.PairCode, formed.Field("pairCode"));
        Assert.Equal(new[] { a.SessionId, b.SessionId }.Order(StringComparer.Ordinal),
            new[] { formed.Field("session"), formed.Field("partner") }.Order(StringComparer.Ordinal));
        var pairing = formed.Field("pairing");
        Assert.Equal($"pair.formed:{pairing}", formed.Field("id"));
        // Both sides announce the end, under one id; each says what it saw.
        var ended = events.Where(e => e.Type == "pair.ended").ToList();
        Assert.All(ended, e => Assert.Equal((pairing, $"pair.ended:{pairing}"), (e.Field("pairing"), e.Field("id"))));
        Assert.Equal("closed", Assert.Single(ended, e => e.Field("session") == a.SessionId).Field("reason"));
        Assert.Equal("partner-left", Assert.Single(ended, e => e.Field("session") == b.SessionId).Field("reason"));
        Assert.All(ended, e => Assert.InRange(e.Json.GetProperty("durationMs").GetInt64(), 0, (long)elapsed.TotalMilliseconds));

        foreach (var e in events)
        {
            Assert.Equal(e.Field("id"), e.EventId);
            Assert.InRange(e.UnixTimestamp, DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            Assert.True(WebhookSignature.Verify(Secret, e.UnixTimestamp, e.Body, e.Signature!));
            Assert.True(WebhookSignature.Verify(RetiredSecret, e.UnixTimestamp, e.Body, e.Signature!));
            Assert.False(WebhookSignature.Verify("some-other-secret-0123456789abcdef01234", e.UnixTimestamp, e.Body, e.Signature!));
            Assert.False(WebhookSignature.Verify(Secret, e.UnixTimestamp + 1, e.Body, e.Signature!)); // a replay re-stamped
            // What docs/webhooks.md tells a receiver to compute, by hand.
            byte[] signed = [.. Encoding.UTF8.GetBytes($"{e.Timestamp}."), .. e.Body];
            var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), signed);
            Assert.Equal($"v1={Convert.ToHexStringLower(expected)}", e.Signature!.Split(',')[0]);
        }
        Assert.Equal(3, server.Metrics.Webhooks().Delivered);
    }

    [Fact]
    public async Task A_client_taking_its_paired_session_back_is_announced_as_a_resume_of_the_same_pairing()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var server = await SocketPeerServer.StartAsync(WebhookTo(receiver.Url));
        var pair = await Resumable.PairAsync(server);
        await using var b = pair.B;
        var id = pair.A.SessionId;
        pair.A.Abort(); // the network drops

        await using var again = await server.ConnectAsync();
        await again.SendTextAsync(Resumable.Resume(pair.TokenA, seq: 0));
        await again.ExpectResumedAsync();
        var events = await receiver.UntilAsync(r => r.Any(e => e.Type == "pair.resumed") && r.Any(e => e.Type == "pair.formed"));

        var resumed = Assert.Single(events, e => e.Type == "pair.resumed");
        Assert.Equal((id, pair.B.SessionId, false), (resumed.Field("session"), resumed.Field("partner"), resumed.Json.GetProperty("rebuilt").GetBoolean()));
        Assert.Equal(Assert.Single(events, e => e.Type == "pair.formed").Field("pairing"), resumed.Field("pairing"));
        Assert.DoesNotContain(events, e => e.Type == "pair.ended");
    }

    public static TheoryData<string> DeadReceivers() => ["never-answers", "refuses-connections"];

    [Theory]
    [MemberData(nameof(DeadReceivers))]
    public async Task A_dead_receiver_costs_the_relay_nothing_and_its_events_are_dropped_and_counted(string dead)
    {
        const int capacity = 2, pairs = 10, messages = 500;
        await using var hanging = await WebhookReceiver.StartHangingAsync();
        var url = dead == "never-answers" ? hanging.Url : new Uri($"http://127.0.0.1:{RefusedPort()}/events");
        await using var server = await SocketPeerServer.StartAsync(WebhookTo(url,
            ("SocketPeer:Webhook:QueueCapacity", $"{capacity}"),
            ("SocketPeer:Webhook:Concurrency", "1"),
            ("SocketPeer:Webhook:RequestTimeout", "00:05:00"),
            ("SocketPeer:Webhook:FirstBackOff", "00:05:00"),
            ("SocketPeer:Webhook:MaxBackOff", "00:05:00"),
            ("SocketPeer:MessagesPerSecond", "100000"),
            ("SocketPeer:MessageBurst", "100000")));
        var clients = new List<TestClient>();
        try
        {
            for (var i = 0; i < pairs; i++)
            {
                var (a, b) = await Pairs.OpenAsync(server);
                clients.AddRange([a, b]);
            }

            // The relay does not wait for the webhook: every message arrives, in order. In rounds below
            // the outbound queue's length, so a reader slowed by a loaded machine is never a slow consumer.
            var (from, to) = (clients[0], clients[1]);
            for (var round = 0; round < messages / 100; round++)
            {
                for (var i = 1; i <= 100; i++) await from.SendAsync("data", round * 100 + i);
                for (var i = 1; i <= 100; i++) Assert.Equal(round * 100 + i, (await to.ExpectAsync("data")).GetProperty("data").GetInt32());
            }
            await Pairs.AssertRelaysAsync(from, to);

            // One event is being delivered (forever), the queue holds its capacity, the rest were dropped.
            var metrics = server.Metrics;
            await Retry.UntilAsync(() => Task.FromResult(metrics.Webhooks().DroppedFor(SocketPeerMetrics.WebhookQueueFull) >= pairs - 1 - capacity));
            var counts = metrics.Webhooks();
            Assert.InRange(counts.Queued, 0, capacity);
            Assert.Equal(0, counts.Delivered);
            Assert.InRange(hanging.Received.Count, 0, dead == "never-answers" ? 1 : 0);
        }
        finally
        {
            foreach (var client in clients) await client.DisposeAsync();
        }
    }

    /// <summary>A loopback port nothing listens on: bound, then let go.</summary>
    private static int RefusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
