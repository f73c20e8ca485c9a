using System.Text;
using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Sessions;
using SocketPeer.Actors.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SocketPeer.Actors.Tests.Sharding;

/// <summary>
/// A session entity lost (as with its node) while its partner lives: the client's resume rebuilds
/// it from the token's claims, the partner confirms, and what the client missed is replayed.
/// </summary>
public sealed class LostSessionTests(ITestOutputHelper output)
    : SocketPeerNodeTestKit(SocketPeerNode.Start(new SessionSettings(PeerTimeout: TimeSpan.FromMinutes(10))), output)
{
    private readonly PairCode _code = new($"code-{Guid.NewGuid():N}");

    [Fact]
    public async Task A_lost_session_is_rebuilt_by_resume_and_gets_what_its_partner_sent_meanwhile()
    {
        var (a, b, bConnection) = await PairResumable();
        await Send(new ClientRelay(b, RelayKind.Data, Utf8("one")));

        await Kill(a); // no ConnectionClosed, no LeaveRoom: gone as with a crashed node
        await Send(new ClientRelay(b, RelayKind.Data, Utf8("two"))); // kept by b's session for a

        var connection = CreateTestProbe();
        var claims = new ResumeClaims(a, ResumeState.Paired, _code, b, PartnerResumable: true, Generation: 1);
        await Send(new ResumeConnection(a, connection.Ref, claims, Received: 1));

        connection.ExpectMsg<SessionStarted>(s => s.Id == a, Timeout);
        var resumed = connection.FishForMessage<ResumedNotice>(_ => true, Timeout);
        Assert.Equal((0L, ResumeState.Paired), (resumed.Seq, resumed.State));
        var replayed = connection.FishForMessage<RelayedNotice>(_ => true, Timeout);
        Assert.Equal(("\"two\"", 2L), (Encoding.UTF8.GetString(replayed.Payload), replayed.Seq));

        await Send(new ClientRelay(a, RelayKind.Data, Utf8("back")));
        var back = bConnection.FishForMessage<RelayedNotice>(_ => true, Timeout);
        Assert.Equal("\"back\"", Encoding.UTF8.GetString(back.Payload));
        bConnection.ExpectNoMsg(TimeSpan.FromMilliseconds(200)); // and no peer.left, no second peer.found
    }

    [Fact]
    public async Task A_fresh_session_succeeds_a_lost_one_and_the_partner_replays_to_it()
    {
        var (a, b, bConnection) = await PairResumable();
        await Kill(a);
        await Send(new ClientRelay(b, RelayKind.Data, Utf8("while away")));

        // The gateway found a's node unreachable: the new socket's own session takes over.
        var (successor, connection) = await Connect();
        var claims = new ResumeClaims(a, ResumeState.Paired, _code, b, PartnerResumable: true, Generation: 1);
        await Send(new ResumeConnection(successor, connection.Ref, claims, Received: 0));

        var resumed = connection.FishForMessage<ResumedNotice>(_ => true, Timeout);
        Assert.Equal(ResumeState.Paired, resumed.State);
        var replayed = connection.FishForMessage<RelayedNotice>(_ => true, Timeout);
        Assert.Equal("\"while away\"", Encoding.UTF8.GetString(replayed.Payload));
        await Send(new ClientRelay(successor, RelayKind.Data, Utf8("back")));
        var back = bConnection.FishForMessage<RelayedNotice>(_ => true, Timeout);
        Assert.Equal("\"back\"", Encoding.UTF8.GetString(back.Payload));
    }

    [Fact]
    public async Task A_resume_that_arrives_after_its_deadline_is_ignored_since_a_successor_has_it_by_then()
    {
        var (a, _) = await ConnectResumable();
        await Kill(a);

        var connection = CreateTestProbe();
        var claims = new ResumeClaims(a, ResumeState.Idle, null, null, PartnerResumable: false, Generation: 1);
        await Send(new ResumeConnection(a, connection.Ref, claims, Received: 0, AnswerBy: DateTimeOffset.UtcNow.AddSeconds(-1)));

        connection.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task A_superseded_token_is_refused_to_its_socket_and_the_owner_keeps_its_own()
    {
        var (a, owner) = await ConnectResumable(); // tokens 1 (session) and 2 (opted in)
        await Send(new ClientPair(a, _code));
        owner.FishForMessage<TokenNotice>(n => n.Claims.Generation == 3, Timeout);

        var stale = CreateTestProbe();
        await Send(new ResumeConnection(a, stale.Ref, new ResumeClaims(a, ResumeState.Idle, null, null, false, Generation: 1), 0));

        stale.ExpectMsg<ResumeRefusedNotice>(n => n.Session == a && n.Why == ResumeRefusal.Superseded, Timeout);
        await Send(new ClientRelay(a, RelayKind.Data, Utf8("still mine")));
        owner.FishForMessage<ISocketPeerMessage>(m => m is SessionMovedNotice ? throw new Xunit.Sdk.XunitException("the owner was moved off")
            : m is RefusedNotice { Refusal: Refusal.NotPaired }, Timeout); // the owner's socket still hears its session
    }

    [Fact]
    public async Task A_resume_asked_again_is_not_refused_for_the_tokens_its_first_answer_issued()
    {
        var (a, _) = await ConnectResumable(); // tokens 1 and 2
        await Send(new ClientPair(a, _code)); // token 3
        var again = CreateTestProbe();
        var resume = new ResumeConnection(a, again.Ref, new ResumeClaims(a, ResumeState.Waiting, _code, null, false, Generation: 2), 0);

        await Send(resume); // the one before the latest: taken, and `session` brings token 4
        again.ExpectMsg<SessionStarted>(s => s.Token!.Generation == 4, Timeout);
        await Send(resume); // the gateway asks again: answered already, whatever the token's age now
        await Send(new ClientRelay(a, RelayKind.Data, Utf8("mine")));

        again.FishForMessage<ISocketPeerMessage>(m => m is ResumeRefusedNotice ? throw new Xunit.Sdk.XunitException("a repeat was refused")
            : m is RefusedNotice { Refusal: Refusal.NotPaired }, Timeout);
    }

    [Fact]
    public async Task An_idle_token_of_a_session_that_is_gone_is_refused_and_brings_nothing_back()
    {
        var (a, _) = await ConnectResumable();
        await Kill(a);

        var connection = CreateTestProbe();
        await Send(new ResumeConnection(a, connection.Ref, new ResumeClaims(a, ResumeState.Idle, null, null, false, Generation: 2), 0));

        connection.ExpectMsg<ResumeRefusedNotice>(n => n.Session == a && n.Why == ResumeRefusal.Ended, Timeout);
    }

    /// <summary>Two resumable sessions paired on this test's code; b's connection has seen peer.found.</summary>
    private async Task<(SessionId A, SessionId B, Akka.TestKit.TestProbe BConnection)> PairResumable()
    {
        var (a, _) = await ConnectResumable();
        var (b, bConnection) = await ConnectResumable();
        await Send(new ClientPair(a, _code));
        await Send(new ClientPair(b, _code));
        bConnection.FishForMessage(m => m is PeerFoundNotice, Timeout);
        return (a, b, bConnection);
    }

    private async Task<(SessionId, Akka.TestKit.TestProbe)> ConnectResumable()
    {
        var (id, connection) = await Connect();
        await Send(new ClientOptIn(id));
        connection.ExpectMsg<TokenNotice>(Timeout);
        return (id, connection);
    }


    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes("\"" + text + "\"");
}
