using System.Text;
using Akka.Actor;
using Akka.TestKit;
using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Sessions;
using SocketPeer.Actors.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SocketPeer.Actors.Tests.Sharding;

/// <summary>Sessions and rooms as sharded entities of a real one-node cluster; probes stand in for connections.</summary>
public sealed class ShardedSessionTests(ITestOutputHelper output)
    : SocketPeerNodeTestKit(SocketPeerNode.Start(new SessionSettings(PeerTimeout: TimeSpan.FromMinutes(10))), output)
{
    private readonly PairCode _code = new($"code-{Guid.NewGuid():N}");

    [Fact]
    public void Attaching_a_connection_starts_the_session_acknowledges_and_says_where_the_session_is()
    {
        var id = SessionId.New();
        var connection = CreateTestProbe();

        Sessions.Tell(new AttachConnection(id, connection.Ref), TestActor);

        ExpectMsg<SessionAck>(Timeout);
        connection.ExpectMsg<SessionStarted>(s => s.Id == id && s.Token is not null, Timeout);
        var location = connection.ExpectMsg<SessionLocation>(Timeout);
        Assert.Equal(id, location.Id);
        Assert.Equal(LastSender, location.Session); // the entity that acknowledged
    }

    [Fact]
    public async Task Two_sessions_on_one_code_are_paired_and_the_newcomer_initiates()
    {
        var (a, aConnection) = await Connect();
        var (b, bConnection) = await Connect();

        await Send(new ClientPair(a, _code));
        await Send(new ClientPair(b, _code));

        aConnection.ExpectMsg(new PeerFoundNotice(Initiator: false), Timeout);
        bConnection.ExpectMsg(new PeerFoundNotice(Initiator: true), Timeout);
    }

    [Fact]
    public async Task Relay_reaches_the_partners_connection_with_identical_bytes()
    {
        var (a, _, _, bConnection) = await Pair();
        var payload = Encoding.UTF8.GetBytes("{\"text\":\"héllo\",\"n\":[1,2,3]}");

        await Send(new ClientRelay(a, RelayKind.Data, payload));

        var relayed = bConnection.ExpectMsg<RelayedNotice>(Timeout);
        Assert.Equal(RelayKind.Data, relayed.Kind);
        Assert.Equal(payload, relayed.Payload);
    }

    [Fact]
    public async Task Closing_one_connection_tells_the_partner_peer_left()
    {
        var (a, _, _, bConnection) = await Pair();

        Sessions.Tell(new ConnectionClosed(a), ActorRefs.NoSender); // the stream is done: no acknowledgement

        bConnection.ExpectMsg(PeerLeftNotice.Instance, Timeout);
    }

    [Fact]
    public async Task Third_peer_on_a_full_room_gets_busy()
    {
        await Pair();
        var (c, cConnection) = await Connect();

        await Send(new ClientPair(c, _code));

        cConnection.ExpectMsg(BusyNotice.Instance, Timeout);
    }

    [Fact]
    public async Task One_pairing_counts_one_in_the_pairings_metric()
    {
        await Pair();

        AwaitAssert(() => Assert.Equal(1, Metrics.Snapshot().Pairings), Timeout);
    }

    /// <summary>Two connected sessions paired on this test's code; both have heard <c>peer.found</c>.</summary>
    private async Task<(SessionId A, TestProbe AConnection, SessionId B, TestProbe BConnection)> Pair()
    {
        var (a, aConnection) = await Connect();
        var (b, bConnection) = await Connect();
        await Send(new ClientPair(a, _code));
        await Send(new ClientPair(b, _code));
        aConnection.ExpectMsg<PeerFoundNotice>(Timeout);
        bConnection.ExpectMsg<PeerFoundNotice>(Timeout);
        return (a, aConnection, b, bConnection);
    }
}
