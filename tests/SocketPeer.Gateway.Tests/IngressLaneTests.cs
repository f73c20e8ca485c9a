using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using SocketPeer.Gateway.Ingress;
using SocketPeer.Testing;

namespace SocketPeer.Gateway.Tests;

/// <summary>The ingress lanes on a real host: order, many sockets over few lanes, and the graceful stop.</summary>
public sealed class IngressLaneTests
{
    [Fact]
    public async Task A_socket_s_messages_reach_its_partner_in_order_through_its_lane()
    {
        await using var server = await SocketPeerServer.StartAsync(("SocketPeer:IngressLanes", "2"),
            ("SocketPeer:MessagesPerSecond", "10000"), ("SocketPeer:MessageBurst", "10000"));
        var (a, b) = await Pairs.OpenAsync(server);
        await using var _ = a;
        await using var __ = b;

        // Fewer than the partner's outbound queue holds (256): sent all at once, faster than a loaded
        // box may write them out, more would rightly close the partner as a slow consumer.
        const int Messages = 200;
        for (var i = 0; i < Messages; i++)
            await a.SendAsync("data", $"m{i}");

        for (var i = 0; i < Messages; i++)
            Assert.Equal($"m{i}", (await b.ExpectAsync("data")).GetProperty("data").GetString());
    }

    [Fact]
    public async Task Many_sockets_over_a_few_lanes_are_all_served()
    {
        await using var server = await SocketPeerServer.StartAsync(("SocketPeer:IngressLanes", "3"));
        var pairs = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Pairs.OpenAsync(server)));
        try
        {
            Assert.Equal(3, server.Services.GetRequiredService<IngressLanes>().Count);
            await Task.WhenAll(pairs.Select(p => Pairs.AssertRelaysAsync(p.A, p.B)));
        }
        finally
        {
            foreach (var (a, b) in pairs)
            {
                await a.DisposeAsync();
                await b.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_graceful_stop_stops_ingress_before_the_sockets_hear_1012()
    {
        var server = await SocketPeerServer.StartAsync();
        var lanes = server.Services.GetRequiredService<IngressLanes>();
        var (a, b) = await Pairs.OpenAsync(server);
        await using var _ = a;
        await using var __ = b;

        var stopping = server.DisposeAsync().AsTask();

        Assert.Equal((WebSocketCloseStatus)1012, await a.ClosedAsync());
        Assert.True(lanes.Stopped, "a socket heard 1012 while ingress still ran");
        Assert.Equal((WebSocketCloseStatus)1012, await b.ClosedAsync());
        await stopping.WaitAsync(TestClient.Timeout);
    }

    [Fact]
    public async Task Once_ingress_stopped_a_frame_read_from_a_socket_is_not_delivered()
    {
        var server = await SocketPeerServer.StartAsync();
        var (a, b) = await Pairs.OpenAsync(server);
        await using var _ = a;
        await using var __ = b;

        server.Services.GetRequiredService<IngressLanes>().Stop(); // the first step of a graceful stop
        await a.SendAsync("data", "after the stop began");
        await a.ExpectNothingPendingAsync(); // answered by the gateway itself: the frame before it was read
        var stopping = server.DisposeAsync().AsTask();

        // Nothing relayed: the next thing b hears is the 1012 close.
        await Assert.ThrowsAsync<Xunit.Sdk.XunitException>(b.NextAsync);
        Assert.Equal((WebSocketCloseStatus)1012, await b.ClosedAsync());
        Assert.Equal((WebSocketCloseStatus)1012, await a.ClosedAsync());
        await stopping.WaitAsync(TestClient.Timeout);
    }
}
