using Akka.Actor;
using SocketPeer.Actors.Events;
using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Sessions;
using SocketPeer.Actors.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SocketPeer.Actors.Tests.Sharding;

/// <summary>
/// A session takes the partner's entity the room names only if it runs on a member in good standing:
/// one on a node that left or was lost has been, or is about to be, rebuilt elsewhere, and what is
/// told to the old one is lost. The region finds the live one.
/// </summary>
public sealed class PartnerEntityNodeTests(ITestOutputHelper output)
    : SocketPeerNodeTestKit(SocketPeerNode.Start(new SessionSettings(PeerTimeout: TimeSpan.FromMinutes(10))), output)
{
    private static readonly PairCode Code = new("entity-node");
    private static readonly SessionId Partner = new("partner-session");

    [Fact]
    public void An_entity_named_on_a_node_that_is_no_member_is_not_told_directly()
    {
        var (rooms, region, connection, room) = (CreateTestProbe(), CreateTestProbe(), CreateTestProbe(), CreateTestProbe());
        var id = SessionId.New();
        var session = Sys.ActorOf(Props.Create(typeof(PeerSessionActor), id, rooms.Ref, region.Ref,
            new SessionSettings(TimeSpan.FromMinutes(10)), Metrics, NoRoomEvents.Instance));
        session.Tell(new AttachConnection(id, connection.Ref), connection.Ref);
        session.Tell(new ClientPair(id, Code), connection.Ref);
        var join = rooms.ExpectMsg<JoinRoom>(Timeout);
        var self = Akka.Cluster.Cluster.Get(Sys).SelfAddress;
        var elsewhere = ((ExtendedActorSystem)Sys).Provider.ResolveActorRef(new RootActorPath(self.WithPort(self.Port + 1)) / "system" / "partner");
        Assert.True(elsewhere.Path.Address.HasGlobalScope);

        session.Tell(new PeerFound(id, Code, Partner, Initiator: true, join.Attempt, PartnerAttempt: 1, PartnerRef: elsewhere), room.Ref);
        session.Tell(new ClientRelay(id, RelayKind.Data, "\"offer\""u8.ToArray()), connection.Ref);

        Assert.Equal(Partner, region.FishForMessage<PartnerRelay>(_ => true, Timeout).Session);
    }
}
