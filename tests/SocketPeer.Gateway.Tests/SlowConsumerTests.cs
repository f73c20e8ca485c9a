using SocketPeer.Testing;

namespace SocketPeer.Gateway.Tests;

public sealed class SlowConsumerFixture : ServerFixture
{
    protected override (string, string)[] Settings =>
    [
        ("SocketPeer:OutboundQueueLength", "4"),
        ("SocketPeer:MessagesPerSecond", "100000"),
        ("SocketPeer:MessageBurst", "100000"),
        ("SocketPeer:CloseTimeout", "00:00:01"),
    ];
}

public sealed class SlowConsumerTests(SlowConsumerFixture fixture) : IClassFixture<SlowConsumerFixture>
{
    [Fact]
    public async Task A_reader_that_stops_reading_is_closed_with_4000_and_costs_nobody_else_anything()
    {
        var server = fixture.Server;
        var code = Codes.New();
        await using var sender = await server.ConnectAsync();
        await using var stuck = await TestClient.ConnectAsync(server.Socket, receive: false);
        await stuck.PairAsync(code);
        await sender.PairAsync(code);
        await sender.ExpectAsync("peer.found");
        var (bystanderA, bystanderB) = await Pairs.OpenAsync(server);
        await using var _ = bystanderA;
        await using var __ = bystanderB;

        // Far more than the socket buffers between server and client hold, so the bounded queue fills.
        var chunk = new string('x', 32 * 1024);
        for (var i = 0; i < 1000 && sender.Socket.State == System.Net.WebSockets.WebSocketState.Open; i++)
        {
            await sender.SendAsync("data", chunk);
            if (server.Metrics.Snapshot().Closes.ContainsKey(4000)) break;
        }

        await sender.ExpectAsync("peer.left"); // the stuck reader was dropped, and its partner told
        Assert.Equal(1, server.Metrics.Snapshot().Closes.GetValueOrDefault(4000));
        await sender.ExpectNothingPendingAsync();
        await Pairs.AssertRelaysAsync(bystanderA, bystanderB);
    }
}
