using System.Net.WebSockets;
using System.Text.Json;
using SocketPeer.Testing;

namespace SocketPeer.Gateway.Tests;

/// <summary>The resume extension end to end over real sockets (docs/protocol.md, Resume).</summary>
public sealed class ResumeTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private SocketPeerServer Server => fixture.Server;

    [Fact]
    public async Task Session_message_carries_a_token_and_the_grace_period()
    {
        await using var client = await Server.ConnectAsync();

        var data = client.SessionMessage.GetProperty("data");
        Assert.False(string.IsNullOrEmpty(data.GetProperty("token").GetString()));
        Assert.Equal(30, data.GetProperty("resumeGrace").GetInt32());
    }

    [Fact]
    public async Task Opted_in_clients_get_numbered_relays_and_acks_reach_the_sender()
    {
        var (a, b) = await ResumablePairAsync();
        await using var _ = a;
        await using var __ = b;

        await a.SendTextAsync("""{"type":"data","data":{"n":1}}""");
        await a.SendTextAsync("""{"type":"data","data":{"n":2}}""");
        Assert.Equal("""{"type":"data","data":{"n":1},"seq":1}""", await b.NextRawAsync());
        Assert.Equal("""{"type":"data","data":{"n":2},"seq":2}""", await b.NextRawAsync());

        await b.SendTextAsync("""{"type":"ack","data":{"seq":2}}""");
        Assert.Equal(2, (await a.ExpectAsync("ack")).GetProperty("data").GetProperty("seq").GetInt64());
    }

    [Fact]
    public async Task A_client_that_did_not_opt_in_gets_relays_without_numbers()
    {
        var (a, b) = await Pairs.OpenAsync(Server);
        await using var _ = a;
        await using var __ = b;

        await a.SendTextAsync("""{"type":"data","data":"x","seq":5}""");
        Assert.Equal("""{"type":"data","data":"x"}""", await b.NextRawAsync());
    }

    [Fact]
    public async Task A_client_resumes_on_a_new_socket_and_gets_what_it_missed_once_in_order()
    {
        var pair = await ResumablePairAsync();
        var (a, b) = pair;
        await using var __ = b;
        await b.SendTextAsync("""{"type":"data","data":"before"}""");
        Assert.Equal(1, (await a.ExpectAsync("data")).GetProperty("seq").GetInt64());
        await a.SendTextAsync("""{"type":"data","data":"from a","seq":1}""");
        await b.ExpectAsync("data");
        var token = pair.TokenA;
        var id = a.SessionId;
        a.Abort(); // the network drops: no close frame

        for (var i = 2; i <= 4; i++) await b.SendTextAsync($$"""{"type":"data","data":"away {{i}}"}""");
        await using var again = await Server.ConnectAsync();
        await again.SendTextAsync(Resume(token, seq: 1));

        var session = await again.ExpectAsync("session");
        Assert.Equal(id, session.GetProperty("data").GetProperty("id").GetString());
        var resumed = (await again.ExpectAsync("resumed")).GetProperty("data");
        Assert.Equal((1L, "paired"), (resumed.GetProperty("seq").GetInt64(), resumed.GetProperty("state").GetString()));
        for (var i = 2; i <= 4; i++)
        {
            var message = await again.ExpectAsync("data");
            Assert.Equal((i, $"away {i}"), (message.GetProperty("seq").GetInt32(), message.GetProperty("data").GetString()));
        }
        // The partner noticed nothing, and the pair goes on both ways.
        await again.SendTextAsync("""{"type":"data","data":"back","seq":2}""");
        Assert.Equal("back", (await b.ExpectAsync("data")).GetProperty("data").GetString());
        await b.SendTextAsync("""{"type":"data","data":"welcome"}""");
        Assert.Equal(5, (await again.ExpectAsync("data")).GetProperty("seq").GetInt32());
        await again.ExpectNothingPendingAsync();
        await b.ExpectNothingPendingAsync();
    }

    [Fact]
    public async Task Re_sent_messages_the_server_already_took_are_dropped()
    {
        var (a, b) = await ResumablePairAsync();
        await using var _ = a;
        await using var __ = b;

        await a.SendTextAsync("""{"type":"data","data":"one","seq":1}""");
        await a.SendTextAsync("""{"type":"data","data":"one again","seq":1}""");
        await a.SendTextAsync("""{"type":"data","data":"two","seq":2}""");

        Assert.Equal("one", (await b.ExpectAsync("data")).GetProperty("data").GetString());
        Assert.Equal("two", (await b.ExpectAsync("data")).GetProperty("data").GetString());
        await b.ExpectNothingPendingAsync();
    }

    [Fact]
    public async Task Resuming_while_the_old_socket_is_still_open_closes_it_with_4001()
    {
        var pair = await ResumablePairAsync();
        var (a, b) = pair;
        await using var _ = a;
        await using var __ = b;
        var token = pair.TokenA;

        await using var again = await Server.ConnectAsync();
        await again.SendTextAsync(Resume(token, seq: 0));

        await again.ExpectAsync("session");
        await again.ExpectAsync("resumed");
        Assert.Equal((WebSocketCloseStatus)4001, await a.ClosedAsync());
        await Pairs.AssertRelaysAsync(again, b);
    }

    [Fact]
    public async Task A_token_saved_before_a_re_pair_is_refused_and_the_live_owner_keeps_its_socket()
    {
        var pair = await ResumablePairAsync();
        var (a, b) = pair;
        await using var _ = a;
        await using var __ = b;
        var saved = pair.TokenA;
        await using var c = await Server.ConnectAsync();
        var code = Codes.New();
        await c.PairAsync(code);
        await a.PairAsync(code); // re-pair: a leaves b, pairs with c; its tokens move on twice
        await a.ExpectSkippingTokensAsync("peer.found");
        await a.ExpectAsync("session.token");
        await c.ExpectAsync("peer.found");
        await b.ExpectAsync("peer.left");

        await using var stale = await Server.ConnectAsync();
        await stale.SendTextAsync(Resume(saved, seq: 0));

        await stale.ExpectErrorAsync("resume-superseded");
        await Pairs.AssertRelaysAsync(a, c); // the owner still holds its session, on its socket
        await stale.PairAsync(Codes.New()); // the stale socket goes on with its own session
        await stale.ExpectNothingPendingAsync();
    }

    [Fact]
    public async Task The_latest_token_still_resumes_after_a_re_pair()
    {
        var pair = await ResumablePairAsync();
        var (a, b) = pair;
        await using var _ = a;
        await using var __ = b;
        await using var c = await Server.ConnectAsync();
        var code = Codes.New();
        await c.PairAsync(code);
        await a.PairAsync(code);
        await a.ExpectSkippingTokensAsync("peer.found");
        var latest = (await a.ExpectAsync("session.token")).GetProperty("data").GetProperty("token").GetString()!;
        await c.ExpectAsync("peer.found");

        await using var again = await Server.ConnectAsync();
        await again.SendTextAsync(Resume(latest, seq: 0));

        await again.ExpectAsync("session");
        Assert.Equal("paired", (await again.ExpectResumedAsync()).GetProperty("data").GetProperty("state").GetString());
        Assert.Equal((WebSocketCloseStatus)4001, await a.ClosedAsync());
        await Pairs.AssertRelaysAsync(again, c);
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("AAAA.AAAA")]
    [InlineData("")]
    public async Task A_bad_token_is_refused_and_the_socket_goes_on_with_its_fresh_session(string token)
    {
        await using var client = await Server.ConnectAsync();

        await client.SendTextAsync(Resume(token, seq: 0));

        await client.ExpectErrorAsync("resume-failed");
        await client.PairAsync(Codes.New()); // still usable
        await client.ExpectNothingPendingAsync();
    }

    [Fact]
    public async Task A_token_signed_with_another_secret_is_refused()
    {
        await using var other = await SocketPeerServer.StartAsync();
        await using var elsewhere = await other.ConnectAsync();
        var foreign = elsewhere.SessionMessage.GetProperty("data").GetProperty("token").GetString()!;
        await using var client = await Server.ConnectAsync();

        await client.SendTextAsync(Resume(foreign, seq: 0));

        var error = await client.ExpectErrorAsync("resume-failed");
        Assert.Contains("not issued by this service", error.GetProperty("data").GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("""{"type":"resume","data":{"token":"x"}}""")]
    [InlineData("""{"type":"resume","data":{"token":5,"seq":0}}""")]
    [InlineData("""{"type":"resume","data":{"token":"x","seq":-1}}""")]
    [InlineData("""{"type":"ack","data":{"seq":0}}""")]
    [InlineData("""{"type":"ack","data":7}""")]
    [InlineData("""{"type":"session","data":{"resume":"yes"}}""")]
    [InlineData("""{"type":"data","data":1,"seq":0}""")]
    [InlineData("""{"type":"data","data":1,"seq":1.5}""")]
    [InlineData("""{"type":"data","data":1,"seq":"1"}""")]
    public async Task Malformed_resume_messages_are_bad_messages(string frame)
    {
        await using var client = await Server.ConnectAsync();

        await client.SendTextAsync(frame);

        await client.ExpectErrorAsync("bad-message");
    }

    [Fact]
    public async Task Resume_after_the_first_message_is_a_bad_message()
    {
        await using var client = await Server.ConnectAsync();
        var token = client.SessionMessage.GetProperty("data").GetProperty("token").GetString()!;
        await client.PairAsync(Codes.New());

        await client.SendTextAsync(Resume(token, seq: 0));

        var error = await client.ExpectErrorAsync("bad-message");
        Assert.Contains("first message", error.GetProperty("data").GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_newcomer_on_the_code_takes_the_seat_of_a_client_that_is_away()
    {
        var pair = await ResumablePairAsync();
        await using var b = pair.B;
        pair.A.Abort();
        // The away mark reaches the room when the session hears of the reset; until then a third is busy.
        await using var third = await Server.ConnectAsync();
        await Retry.UntilAsync(async () =>
        {
            await third.PairAsync(b.PairCode!);
            return (await third.NextAsync()).GetProperty("type").GetString() == "peer.found";
        });

        await ExpectSkippingTokensAsync(b, "peer.left");
        Assert.False((await ExpectSkippingTokensAsync(b, "peer.found")).GetProperty("data").GetProperty("initiator").GetBoolean());
        await third.SendAsync("data", "hello");
        Assert.Equal("hello", (await ExpectSkippingTokensAsync(b, "data")).GetProperty("data").GetString());
        await using var again = await Server.ConnectAsync();
        await again.SendTextAsync(Resume(pair.TokenA, seq: 0));
        await again.ExpectAsync("session");
        await again.ExpectErrorAsync("resume-failed"); // its seat is gone
    }

    private Task<ResumablePair> ResumablePairAsync() => Resumable.PairAsync(Server);

    private static string Resume(string token, long seq) => Resumable.Resume(token, seq);

    private static Task<JsonElement> ExpectSkippingTokensAsync(TestClient client, string type) =>
        client.ExpectSkippingTokensAsync(type);
}

public sealed class ShortGraceFixture : ServerFixture
{
    protected override (string, string)[] Settings =>
        [("SocketPeer:Resume:Grace", "00:00:01"), ("SocketPeer:Resume:BufferMessages", "3")];
}

/// <summary>What happens when an absent client does not come back in time, or too much waits for it.</summary>
public sealed class ResumeLimitTests(ShortGraceFixture fixture) : IClassFixture<ShortGraceFixture>
{
    [Fact]
    public async Task After_the_grace_period_the_partner_hears_peer_left_and_the_token_no_longer_resumes()
    {
        var pair = await Resumable.PairAsync(fixture.Server);
        await using var b = pair.B;

        pair.A.Abort();

        await b.ExpectAsync("peer.left"); // after the 1 s grace period
        await using var again = await fixture.Server.ConnectAsync();
        await again.SendTextAsync(Resumable.Resume(pair.TokenA, seq: 0));
        await again.ExpectAsync("session");
        await again.ExpectErrorAsync("resume-failed");
    }

    [Fact]
    public async Task More_than_the_buffer_holds_ends_the_absent_session_and_the_partner_hears_peer_left()
    {
        var metrics = fixture.Server.Metrics;
        await Retry.UntilAsync(() => Task.FromResult(metrics.Snapshot().Away == 0)); // the other test's absentee has gone
        var pair = await Resumable.PairAsync(fixture.Server);
        await using var b = pair.B;
        pair.A.Abort();
        // Absent before the partner's buffer overflows: a session still attached when its partner gives
        // up on it is not absent, so it waits in the room again rather than ending.
        await Retry.UntilAsync(() => Task.FromResult(metrics.Snapshot().Away == 1));

        for (var i = 1; i <= 4; i++) await b.SendAsync("data", i);

        await b.ExpectAsync("peer.left"); // at the fourth: only three may wait
        await using var again = await fixture.Server.ConnectAsync();
        await again.SendTextAsync(Resumable.Resume(pair.TokenA, seq: 0));
        await again.ExpectAsync("session");
        await again.ExpectErrorAsync("resume-failed");
    }
}
