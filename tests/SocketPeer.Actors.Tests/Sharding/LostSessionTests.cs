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
