using System.Diagnostics.Metrics;
using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using SocketPeer.Actors.Diagnostics;
using SocketPeer.Actors.Events;
using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Sessions;

namespace SocketPeer.Actors.Tests.Sessions;

/// <summary>
/// The route a session's actor takes to its partner (<see cref="PartnerRoute"/>), with probes for the
/// room, the session shard region and the partner's entity. The partner here never says hello on
/// its own: the client's relay always beats it, the race of issue #18.
/// </summary>
public sealed class DirectRouteTests : TestKit
{
    private static readonly PairCode Code = new("direct");
    private static readonly SessionId Partner = new("partner-session");

    private readonly SocketPeerMetrics _metrics = new(new Meters());
    private readonly SessionId _id = SessionId.New();
    private readonly TestProbe _rooms;
    private readonly TestProbe _region;
    private readonly TestProbe _connection;
    private readonly TestProbe _room;
    private readonly IActorRef _session;

    public DirectRouteTests()
    {
        _rooms = CreateTestProbe();
        _region = CreateTestProbe();
        _connection = CreateTestProbe();
        _room = CreateTestProbe();
        _session = Sys.ActorOf(Props.Create(typeof(PeerSessionActor), _id, _rooms.Ref, _region.Ref,
            new SessionSettings(TimeSpan.FromMinutes(10)), _metrics, NoRoomEvents.Instance));
        _session.Tell(new AttachConnection(_id, _connection.Ref), _connection.Ref);
    }

    [Fact]
    public void A_relay_right_after_a_pairing_whose_room_named_the_partners_entity_goes_straight_to_it()
    {
        var partner = CreateTestProbe();
        var join = Join();

        _session.Tell(new PeerFound(_id, Code, Partner, Initiator: true, join.Attempt, PartnerAttempt: 1, PartnerRef: partner.Ref), _room.Ref);
        // The hello still goes through the region: the room's word is not the entity's own.
        Assert.Equal(Partner, _region.ExpectMsg<PartnerHello>().Session);
        Relay("offer");

        Assert.Equal("offer", Text(partner.ExpectMsg<PartnerRelay>()));
        Assert.Equal(0, _metrics.RelaysThroughRegion);

        // The partner's own hello, late, changes nothing for the relays.
        partner.Send(_session, new PartnerHello(_id, Partner, Code));
        Relay("candidate");
        Assert.Equal("candidate", Text(partner.ExpectMsg<PartnerRelay>()));
        Assert.Equal(0, _metrics.RelaysThroughRegion);
    }

    [Fact]
    public void Without_the_partners_entity_from_the_room_a_relay_before_its_hello_keeps_the_pairing_on_the_region()
    {
        var partner = CreateTestProbe();
        var join = Join();

        _session.Tell(new PeerFound(_id, Code, Partner, Initiator: true, join.Attempt, PartnerAttempt: 1), _room.Ref);
        _region.ExpectMsg<PartnerHello>();
        Relay("offer");
        Assert.Equal("offer", Text(_region.FishForMessage<PartnerRelay>(_ => true))); // past a hello again, if one is due

        // The partner's hello comes too late: the next relay must not overtake the first.
        partner.Send(_session, new PartnerHello(_id, Partner, Code));
        Relay("candidate");
        Assert.Equal("candidate", Text(_region.FishForMessage<PartnerRelay>(_ => true)));
        Assert.Equal(2, _metrics.RelaysThroughRegion);
        partner.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void A_partner_lost_and_paired_again_is_reached_through_the_region_whatever_the_room_says()
    {
        var first = CreateTestProbe();
        var join = Join();
        _session.Tell(new PeerFound(_id, Code, Partner, Initiator: true, join.Attempt, PartnerAttempt: 1, PartnerRef: first.Ref), _room.Ref);
        first.Send(_session, new PartnerHello(_id, Partner, Code)); // the session watches it from now on
        Relay("offer");
        Assert.Equal("offer", Text(first.ExpectMsg<PartnerRelay>()));

        // Its entity stops: the session gives up on it (it does not resume) and waits in the room again.
        Sys.Stop(first.Ref);
        _region.FishForMessage<PartnerGaveUp>(_ => true);
        _connection.FishForMessage<PeerLeftNotice>(_ => true);

        // The room pairs the two again, naming the partner's new entity: what went through the region
        // (the giving up) could still be on its way, so the pairing stays there.
        var second = CreateTestProbe();
        _session.Tell(new PeerFound(_id, Code, Partner, Initiator: true, join.Attempt, PartnerAttempt: 2, PartnerRef: second.Ref), _room.Ref);
        _connection.FishForMessage<PeerFoundNotice>(_ => true);
        Relay("offer again");

        Assert.Equal("offer again", Text(_region.FishForMessage<PartnerRelay>(_ => true)));
        second.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    private JoinRoom Join()
    {
        _session.Tell(new ClientPair(_id, Code), _connection.Ref);
        return _rooms.ExpectMsg<JoinRoom>();
    }

    private void Relay(string text) =>
        _session.Tell(new ClientRelay(_id, RelayKind.Data, System.Text.Encoding.UTF8.GetBytes(text)), _connection.Ref);

    private static string Text(PartnerRelay relay) => System.Text.Encoding.UTF8.GetString(relay.Payload);

    protected override void Dispose(bool disposing)
    {
        _metrics.Dispose();
        base.Dispose(disposing);
    }

    private sealed class Meters : IMeterFactory
    {
        private readonly List<Meter> _meters = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options);
            _meters.Add(meter);
            return meter;
        }

        public void Dispose() => _meters.ForEach(m => m.Dispose());
    }
}
