using System.Diagnostics;
using System.Net.WebSockets;
using SocketPeer.Testing;

namespace SocketPeer.Gateway.Tests.Hostile;

/// <summary>
/// The slow reader as found against a running gateway, at default settings: a paired client that
/// stops reading while its partner sends 60 KB messages at 40 a second. Before SendTimeout and
/// OutboundQueueBytes the stuck socket was still open after 33 s and its partner never heard.
/// </summary>
public sealed class SlowReaderTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    /// <summary>
    /// What the defaults promise, with room for a loaded machine: the kernel's socket buffers fill in
    /// a few seconds at 2.4 MB/s, then the 2 MB queue in one, then a send blocks for at most
    /// SendTimeout (5 s) or the overflow's close waits at most CloseTimeout (5 s).
    /// </summary>
    private static readonly TimeSpan ClosedWithin = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task A_paired_client_that_stops_reading_large_messages_is_dropped_and_its_partner_hears_peer_left()
    {
        var server = fixture.Server;
        var (a, b) = await Pairs.OpenAsync(server);
        await using var _ = a;
        await using var __ = b;
        var code = Codes.New();
        await using var stuck = await RawWebSocket.ConnectAsync(server.Socket);
        await using var sender = await server.ConnectAsync();
        await stuck.SendJsonAsync("pair", code);
        await sender.PairAsync(code);
        await sender.ExpectAsync("peer.found");
        // From here on the stuck client reads nothing.

        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var sending = SendLargeMessagesAsync(sender, stop.Token);
        try
        {
            await ExpectWithinAsync(sender, "peer.left", ClosedWithin);
        }
        finally
        {
            await stop.CancelAsync();
            await sending;
        }

        Assert.True(clock.Elapsed < ClosedWithin, $"peer.left after {clock.Elapsed}");
        Assert.True(server.Metrics.Snapshot().Closes.GetValueOrDefault(4000) >= 1, "counted as a slow consumer");
        // Not the session region's entity list: relays on their way when the stuck session ended
        // start a stray entity for its id, which holds no connection and ends by itself after 30 s
        // (PeerSessionActor.UnattachedLifetime). The gauges say the session left every room.
        await Retry.UntilAsync(() =>
        {
            var now = server.Metrics.Snapshot();
            return Task.FromResult(now is { Connections: 3, Paired: 2, Waiting: 1 }
                ? true
                : throw new Xunit.Sdk.XunitException($"{now.Connections} connections, {now.Paired} paired, {now.Waiting} waiting"));
        });
        await Pairs.AssertRelaysAsync(a, b);
    }

    /// <summary>60 KB messages at 40 a second (below the default rate limit of 50), until stopped.</summary>
    private static async Task SendLargeMessagesAsync(TestClient sender, CancellationToken stop)
    {
        var payload = new string('x', 60 * 1024);
        using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(25));
        try
        {
            while (await pace.WaitForNextTickAsync(stop) && sender.Socket.State == WebSocketState.Open)
                await sender.SendAsync("data", payload);
        }
        catch (OperationCanceledException)
        {
            // stopped
        }
    }

    /// <summary>Waits for <paramref name="type"/> longer than one <see cref="TestClient.Timeout"/>.</summary>
    private static async Task ExpectWithinAsync(TestClient client, string type, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await client.ExpectAsync(type);
                return;
            }
            catch (Xunit.Sdk.XunitException e) when (e.Message.StartsWith("no message within", StringComparison.Ordinal) && clock.Elapsed < within)
            {
                // Nothing yet: the stuck socket's buffers are still filling.
            }
        }
    }
}
