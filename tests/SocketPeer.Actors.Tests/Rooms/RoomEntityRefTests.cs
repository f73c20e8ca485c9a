using Akka.Actor;
using Akka.TestKit;
using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Sessions;
using SocketPeer.Actors.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SocketPeer.Actors.Tests.Rooms;

/// <summary>
/// The room names each member's entity in the other's <see cref="PeerFound"/>: the sender of what the
/// member last told it about its seat, so a session can go straight to its partner from the pairing on.
/// </summary>
public sealed class RoomEntityRefTests(ITestOutputHelper output)
    : SocketPeerNodeTestKit(SocketPeerNode.Start(new SessionSettings(PeerTimeout: TimeSpan.FromMinutes(10))), output)
{
    private readonly PairCode _code = new($"code-{Guid.NewGuid():N}");
    private readonly SessionId _a = SessionId.New();
    private readonly SessionId _b = SessionId.New();

    [Fact]
    public void Each_member_hears_the_entity_that_joined_for_its_partner()
    {
        var (room, sessions) = Room();
        var (a, b) = (CreateTestProbe(), CreateTestProbe());

        room.Tell(new JoinRoom(_code, _a, 1), a.Ref);
        sessions.ExpectMsg<WaitingForPeer>(Timeout);
        room.Tell(new JoinRoom(_code, _b, 1), b.Ref);

        Assert.Equal(b.Ref, sessions.ExpectMsg<PeerFound>(f => f.Session == _a, Timeout).PartnerRef);
        Assert.Equal(a.Ref, sessions.ExpectMsg<PeerFound>(f => f.Session == _b, Timeout).PartnerRef);
    }

    [Fact]
    public void A_member_that_joined_again_from_another_entity_is_named_by_that_one()
    {
        var (room, sessions) = Room();
        var (lost, rebuilt, b) = (CreateTestProbe(), CreateTestProbe(), CreateTestProbe());

        room.Tell(new JoinRoom(_code, _a, 1), lost.Ref);
        sessions.ExpectMsg<WaitingForPeer>(Timeout);
        room.Tell(new JoinRoom(_code, _a, 2), rebuilt.Ref); // its node was lost; its client resumed it elsewhere
        sessions.ExpectMsg<WaitingForPeer>(Timeout);
        room.Tell(new JoinRoom(_code, _b, 1), b.Ref);

        sessions.ExpectMsg<PeerFound>(f => f.Session == _a, Timeout);
        Assert.Equal(rebuilt.Ref, sessions.ExpectMsg<PeerFound>(f => f.Session == _b, Timeout).PartnerRef);
    }

    [Fact]
    public void A_join_told_without_a_sender_names_no_entity()
    {
        var (room, sessions) = Room();

        room.Tell(new JoinRoom(_code, _a, 1), ActorRefs.NoSender);
        sessions.ExpectMsg<WaitingForPeer>(Timeout);
        room.Tell(new JoinRoom(_code, _b, 1), CreateTestProbe().Ref);

        Assert.NotNull(sessions.ExpectMsg<PeerFound>(f => f.Session == _a, Timeout).PartnerRef);
        Assert.Null(sessions.ExpectMsg<PeerFound>(f => f.Session == _b, Timeout).PartnerRef);
    }

    /// <summary>A room entity outside sharding, telling its sessions to a probe.</summary>
    private (IActorRef Room, TestProbe Sessions) Room()
    {
        var sessions = CreateTestProbe();
        return (Sys.ActorOf(Props.Create(typeof(RoomActor), _code, sessions.Ref, CreateTestProbe().Ref)), sessions);
    }
}
