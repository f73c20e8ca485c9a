using SocketPeer.Testing;

namespace SocketPeer.Gateway.Tests;

public sealed class PairingTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private SocketPeerServer Server => fixture.Server;

    [Fact]
    public async Task Two_peers_with_one_code_are_paired_waiting_member_first()
    {
        // A server of its own, so its waiting gauge says when the first peer's join reached the room.
        await using var server = await SocketPeerServer.StartAsync();
        await using var waiting = await server.ConnectAsync();
        await using var newcomer = await server.ConnectAsync();
        var code = Codes.New();

        await waiting.PairAsync(code);
        await Retry.UntilAsync(() => Task.FromResult(server.Metrics.Snapshot().Waiting == 1));
        await waiting.ExpectNothingPendingAsync(); // a lone peer hears nothing that looks like a pairing
        await newcomer.PairAsync(code);

        var toWaiting = await waiting.ExpectAsync("peer.found");
        var toNewcomer = await newcomer.ExpectAsync("peer.found");
        Assert.False(toWaiting.GetProperty("data").GetProperty("initiator").GetBoolean());
        Assert.True(toNewcomer.GetProperty("data").GetProperty("initiator").GetBoolean());
    }

    [Fact]
    public async Task Data_is_relayed_both_ways_byte_for_byte()
    {
        var (a, b) = await Pairs.OpenAsync(Server);
        await using var _ = a;
        await using var __ = b;

        await a.SendTextAsync("""{"type":"data","data":{ "text" : "h\u00e9llo", "n": [1, 2.50, null] }}""");
        await b.SendTextAsync("""{"data":"pong","type":"data","extra":true}""");

        Assert.Equal("""{"type":"data","data":{ "text" : "h\u00e9llo", "n": [1, 2.50, null] }}""", await b.NextRawAsync());
        Assert.Equal("""{"type":"data","data":"pong"}""", await a.NextRawAsync());
    }

    [Fact]
    public async Task Signals_and_connect_are_relayed_to_the_partner()
    {
        var (a, b) = await Pairs.OpenAsync(Server);
        await using var _ = a;
        await using var __ = b;

        await b.SendAsync("rtc.connect");
        await a.ExpectAsync("rtc.connect");
        await a.SendTextAsync("""{"type":"rtc.signal","data":{"type":"offer","sdp":"v=0\r\n"}}""");
        Assert.Equal("""{"type":"rtc.signal","data":{"type":"offer","sdp":"v=0\r\n"}}""", await b.NextRawAsync());
    }

    [Fact]
    public async Task Third_peer_on_a_full_room_gets_busy_and_the_pair_is_untouched()
    {
        var (a, b) = await Pairs.OpenAsync(Server);
        await using var _ = a;
        await using var __ = b;
        await using var third = await Server.ConnectAsync();

        await third.PairAsync(a.PairCode!);

        await third.ExpectAsync("busy");
        await Pairs.AssertRelaysAsync(a, b);
    }

    [Fact]
    public async Task Pairing_twice_with_the_same_code_is_idempotent()
    {
        await using var a = await Server.ConnectAsync();
        var code = Codes.New();
        await a.PairAsync(code);
        await a.PairAsync(code); // the same socket again: never paired with itself
        await a.ExpectNothingPendingAsync();

        await using var b = await Server.ConnectAsync();
        await b.PairAsync(code);
        await a.ExpectAsync("peer.found");
        await b.ExpectAsync("peer.found");
        await a.PairAsync(code); // paired now: still nothing new
        await a.ExpectNothingPendingAsync();
        await b.ExpectNothingPendingAsync();
    }

    [Fact]
    public async Task Pairing_with_another_code_leaves_the_first_room()
    {
        var (a, b) = await Pairs.OpenAsync(Server);
        await using var _ = a;
        await using var __ = b;
        await using var c = await Server.ConnectAsync();
        var other = Codes.New();
        await c.PairAsync(other);

        await a.PairAsync(other);

        await b.ExpectAsync("peer.left");
        await c.ExpectAsync("peer.found");
        await a.ExpectAsync("peer.found");
        await Pairs.AssertRelaysAsync(a, c);
    }

    [Fact]
    public async Task Leave_tells_the_partner_and_keeps_the_socket()
    {
        var (a, b) = await Pairs.OpenAsync(Server);
        await using var _ = a;
        await using var __ = b;

        await a.SendAsync("leave");

        await b.ExpectAsync("peer.left");
        await a.SendAsync("data", "anyone?");
        await a.ExpectErrorAsync("not-paired");
        await a.PairAsync(b.PairCode!); // back in: b was waiting again
        await b.ExpectAsync("peer.found");
        await a.ExpectAsync("peer.found");
    }

    [Fact]
    public async Task Leave_outside_a_room_is_refused()
    {
        await using var a = await Server.ConnectAsync();
        await a.SendAsync("leave");
        await a.ExpectErrorAsync("not-in-room");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_partner_that_closes_or_aborts_is_reported_and_the_survivor_pairs_again(bool abort)
    {
        var (a, b) = await Pairs.OpenAsync(Server);
        await using var _ = a;

        if (abort) b.Abort(); // TCP reset, no close frame
        await b.DisposeAsync();

        await a.ExpectAsync("peer.left");
        await using var next = await Server.ConnectAsync();
        await next.PairAsync(a.PairCode!);
        await a.ExpectAsync("peer.found");
        await next.ExpectAsync("peer.found");
        await Pairs.AssertRelaysAsync(a, next);
    }

    [Fact]
    public async Task Each_connection_gets_its_own_session_id()
    {
        await using var a = await Server.ConnectAsync();
        await using var b = await Server.ConnectAsync();
        Assert.Matches("^[a-z2-7]{32}$", a.SessionId); // node key + 130 random bits, base32 (SessionId)
        Assert.NotEqual(a.SessionId, b.SessionId);
    }
}
