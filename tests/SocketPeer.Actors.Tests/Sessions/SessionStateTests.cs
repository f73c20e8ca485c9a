using Akka.Actor;
using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Sessions;
using static SocketPeer.Actors.Sessions.SessionEffect;
using static SocketPeer.Actors.Sessions.SessionPhase;
using static SocketPeer.Actors.Tests.Sessions.Given;

namespace SocketPeer.Actors.Tests.Sessions;

public sealed class SessionStateTests
{
    [Fact]
    public void Attach_sends_session_started_and_makes_the_session_idle()
    {
        var result = Unattached().Handle(new AttachConnection(Me, ActorRefs.Nobody));

        Assert.IsType<Idle>(result.State.Phase);
        Assert.Equal([new ToClient(new SessionStarted(Me))], result.WithoutHello());
    }

    [Fact]
    public void Second_attach_changes_nothing()
    {
        var session = Waiting();

        var result = session.Handle(new AttachConnection(Me, ActorRefs.Nobody));

        Assert.Same(session, result.State);
        Assert.Empty(result.WithoutHello());
    }

    [Fact]
    public void Pair_joins_the_room_of_the_code()
    {
        var result = Idle().Handle(new ClientPair(Me, Code));

        Assert.Equal(new Joining(Code, FirstJoin), result.State.Phase);
        Assert.Equal([new ToRoom(new JoinRoom(Code, Me, FirstJoin))], result.WithoutHello());
    }

    [Theory]
    [InlineData(nameof(Joining))]
    [InlineData(nameof(Waiting))]
    [InlineData(nameof(Paired))]
    public void Pair_again_with_the_same_code_does_nothing(string phase)
    {
        var session = InPhase(phase);

        var result = session.Handle(new ClientPair(Me, Code));

        Assert.Same(session, result.State);
        Assert.Empty(result.WithoutHello());
    }

    [Theory]
    [InlineData(nameof(Joining))]
    [InlineData(nameof(Waiting))]
    [InlineData(nameof(Paired))]
    public void Pair_with_another_code_leaves_the_old_room_then_joins_the_new_one(string phase)
    {
        var result = InPhase(phase).Handle(new ClientPair(Me, OtherCode));

        Assert.Equal(new Joining(OtherCode, FirstJoin + 1), result.State.Phase);
        Assert.Equal([new ToRoom(new LeaveRoom(Code, Me)), new ToRoom(new JoinRoom(OtherCode, Me, FirstJoin + 1))], result.WithoutHello());
    }

    [Fact]
    public void Waiting_for_peer_while_joining_waits_and_tells_the_client_nothing()
    {
        var result = Joining().Handle(new WaitingForPeer(Me, Code, FirstJoin));

        Assert.Equal(new Waiting(Code, FirstJoin), result.State.Phase);
        Assert.Empty(result.WithoutHello());
    }

    [Theory]
    [InlineData(nameof(Joining), true)]
    [InlineData(nameof(Waiting), false)]
    public void Peer_found_pairs_and_tells_the_client_its_role(string phase, bool initiator)
    {
        var result = InPhase(phase).Handle(new PeerFound(Me, Code, Partner, initiator, FirstJoin));

        Assert.Equal(new Paired(Code, Partner, FirstJoin), result.State.Phase);
        Assert.Equal([new ToClient(new PeerFoundNotice(initiator))], result.WithoutHello());
    }

    [Theory]
    [InlineData(nameof(Idle))]
    [InlineData(nameof(Joining))]
    [InlineData(nameof(Waiting))]
    public void Relay_before_pairing_is_refused_with_not_paired(string phase)
    {
        var session = InPhase(phase);

        var result = session.Handle(new ClientRelay(Me, RelayKind.Data, Utf8("\"hi\"")));

        Assert.Equal(session.Phase, result.State.Phase);
        var refused = Assert.IsType<ToClient>(Assert.Single(result.WithoutHello())).Message;
        Assert.Equal(new RefusedNotice(Refusal.NotPaired, RelayKind.Data), refused);
    }

    [Theory]
    [InlineData(RelayKind.Data)]
    [InlineData(RelayKind.Signal)]
    [InlineData(RelayKind.Connect)]
    public void Relay_when_paired_goes_to_the_partner_with_the_same_payload(RelayKind kind)
    {
        var payload = Utf8("{\"sdp\":\"v=0\"}");

        var result = Paired().Handle(new ClientRelay(Me, kind, payload));

        var relay = Assert.IsType<PartnerRelay>(Assert.IsType<ToPartner>(Assert.Single(result.WithoutHello())).Message);
        Assert.Equal((Partner, Me, Code, kind, 1L), (relay.Session, relay.From, relay.Code, relay.Kind, relay.Seq));
        Assert.Equal(payload, relay.Payload);
    }

    [Fact]
    public void Relay_from_the_partner_reaches_the_client()
    {
        var relay = RelayFrom(Partner, "\"hello\"");

        var result = Paired().Handle(relay);

        var notice = Assert.IsType<RelayedNotice>(Assert.IsType<ToClient>(Assert.Single(result.WithoutHello())).Message);
        Assert.Equal(RelayKind.Data, notice.Kind);
        Assert.Equal(relay.Payload, notice.Payload);
    }

    [Fact]
    public void Relay_from_someone_who_is_not_the_partner_is_dropped()
    {
        var session = Paired();

        var result = session.Handle(RelayFrom(Stranger, "\"psst\""));

        Assert.Same(session, result.State);
        Assert.Empty(result.WithoutHello());
    }

    [Fact]
    public void Relay_from_the_partner_for_another_room_is_dropped()
    {
        var result = Paired().Handle(RelayFrom(Partner, "\"old\"", OtherCode));

        Assert.Empty(result.WithoutHello());
    }

    [Fact]
    public void Relay_while_idle_is_dropped()
    {
        var result = Idle().Handle(RelayFrom(Partner, "\"late\""));

        Assert.Empty(result.WithoutHello());
        Assert.Empty(result.State.Early());
    }

    [Fact]
    public void Room_busy_makes_the_session_idle_and_tells_the_client()
    {
        var result = Joining().Handle(new RoomBusy(Me, Code, FirstJoin));

        Assert.IsType<Idle>(result.State.Phase);
        Assert.Equal([new ToClient(BusyNotice.Instance)], result.WithoutHello());
    }

    [Fact]
    public void Partner_left_makes_the_session_wait_and_tells_the_client()
    {
        var result = Paired().Handle(new PartnerLeft(Me, Code, Partner, FirstJoin));

        Assert.Equal(new Waiting(Code, FirstJoin), result.State.Phase);
        Assert.Equal([new ToClient(PeerLeftNotice.Instance)], result.WithoutHello());
    }

    [Fact]
    public void Partner_left_naming_someone_else_is_ignored()
    {
        var session = Paired();

        var result = session.Handle(new PartnerLeft(Me, Code, Stranger, FirstJoin));

        Assert.Same(session, result.State);
        Assert.Empty(result.WithoutHello());
    }

    [Fact]
    public void Peer_timeout_while_waiting_leaves_the_room_and_reports_peer_timeout()
    {
        var result = Waiting().Handle(new PeerTimeoutElapsed(Code));

        Assert.IsType<Idle>(result.State.Phase);
        Assert.Equal(2, result.WithoutHello().Count);
        Assert.Equal(new ToRoom(new LeaveRoom(Code, Me)), result.WithoutHello()[0]);
        Assert.Equal(new ToClient(new RefusedNotice(Refusal.PeerTimeout, Code: Code)), result.WithoutHello()[1]);
    }

    [Fact]
    public void Peer_timeout_for_another_code_is_ignored()
    {
        var session = Waiting();

        var result = session.Handle(new PeerTimeoutElapsed(OtherCode));

        Assert.Same(session, result.State);
        Assert.Empty(result.WithoutHello());
    }

    [Theory]
    [InlineData(nameof(Idle))]
    [InlineData(nameof(Joining))]
    [InlineData(nameof(Paired))]
    public void Peer_timeout_outside_waiting_is_ignored(string phase)
    {
        var session = InPhase(phase);

        var result = session.Handle(new PeerTimeoutElapsed(Code));

        Assert.Same(session, result.State);
        Assert.Empty(result.WithoutHello());
    }

    [Theory]
    [InlineData(nameof(Joining))]
    [InlineData(nameof(Waiting))]
    [InlineData(nameof(Paired))]
    public void Leave_in_a_room_leaves_it_and_makes_the_session_idle(string phase)
    {
        var result = InPhase(phase).Handle(new ClientLeave(Me));

        Assert.IsType<Idle>(result.State.Phase);
        Assert.Equal([new ToRoom(new LeaveRoom(Code, Me))], result.WithoutHello());
    }

    [Fact]
    public void Leave_when_in_no_room_is_refused_with_not_in_room()
    {
        var result = Idle().Handle(new ClientLeave(Me));

        Assert.IsType<Idle>(result.State.Phase);
        Assert.Equal(new ToClient(new RefusedNotice(Refusal.NotInRoom)), Assert.Single(result.WithoutHello()));
    }

    [Theory]
    [InlineData(nameof(Joining))]
    [InlineData(nameof(Waiting))]
    [InlineData(nameof(Paired))]
    public void Connection_closed_in_a_room_leaves_it_and_stops(string phase)
    {
        var result = InPhase(phase).Handle(new ConnectionClosed(Me));

        Assert.Equal([new ToRoom(new LeaveRoom(Code, Me)), Stop.Instance], result.WithoutHello());
    }

    [Fact]
    public void Connection_closed_in_no_room_just_stops()
    {
        var result = Idle().Handle(new ConnectionClosed(Me));

        Assert.Equal([Stop.Instance], result.WithoutHello());
    }

    [Fact]
    public void Unattached_session_told_it_waits_marks_its_seat_away_and_stops()
    {
        var result = Unattached().Handle(new WaitingForPeer(Me, Code, FirstJoin));

        Assert.Equal([new ToRoom(new MemberAway(Code, Me)), Stop.Instance], result.Messages());
    }

    [Fact]
    public void Unattached_session_told_it_is_paired_keeps_its_seat_for_a_resume_and_lets_the_partner_watch_it_end()
    {
        var result = Unattached().Handle(new PeerFound(Me, Code, Partner, Initiator: false, FirstJoin));

        Assert.Equal(
        [
            new ToRoom(new MemberAway(Code, Me)),
            new ToPartner(new PartnerHello(Partner, Me, Code)),
            Stop.Instance,
        ], result.Messages());
    }
}
