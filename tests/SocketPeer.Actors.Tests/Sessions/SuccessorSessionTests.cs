using Akka.Actor;
using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Sessions;
using static SocketPeer.Actors.Sessions.SessionEffect;
using static SocketPeer.Actors.Sessions.SessionPhase;
using static SocketPeer.Actors.Tests.Sessions.Given;
using static SocketPeer.Actors.Tests.Sessions.ResumeScenario;

namespace SocketPeer.Actors.Tests.Sessions;

/// <summary>
/// When the node of the session a client claims is unreachable, the socket's fresh session succeeds
/// it: it takes the predecessor's seat (waiting) or asks the partner to re-point at it and replay
/// (paired), and only a session not yet serving a client does so. The partner re-points only for a
/// successor of its own partner, ignores a rebuilt room's pairing with the predecessor, and answers
/// with what its client acknowledged.
/// </summary>
public sealed class SuccessorSessionTests
{
    [Fact]
    public void A_fresh_session_succeeds_a_paired_one_by_asking_the_partner_to_re_point_and_replay()
    {
        var result = Idle().Handle(new ResumeConnection(Me, ActorRefs.Nobody, ClaimsOf(Predecessor, ResumeState.Paired), Received: 7));

        Assert.Equal(new Paired(Code, Partner, FirstJoin), result.State.Phase);
        Assert.True(result.State is { Confirming: true, Replaying: true, Resumable: true, Phase: SessionPhase.Paired, Flow.InSeq: 7 });
        Assert.Equal([new ToPartner(new PartnerResumed(Partner, Me, Code, 7, Replaces: Predecessor))], result.Messages());
    }

    [Fact]
    public void A_confirmed_successor_takes_its_predecessors_room_seat()
    {
        var successor = Idle().Handle(new ResumeConnection(Me, ActorRefs.Nobody, ClaimsOf(Predecessor, ResumeState.Paired), 7)).State;

        var confirmed = successor.Handle(new PartnerResumeAnswer(Me, Partner, ResumeVerdict.Accepted, Received: 3));

        Assert.Equal(
        [
            new ToClient(new ResumedNotice(3, ResumeState.Paired)),
            new ToRoom(new JoinRoom(Code, Me, FirstJoin, Resumable: true, Partner: Partner, Replaces: Predecessor)),
        ], confirmed.Messages());
    }

    [Fact]
    public void A_fresh_session_succeeds_a_waiting_one_in_its_seat()
    {
        var result = Idle().Handle(new ResumeConnection(Me, ActorRefs.Nobody, ClaimsOf(Predecessor, ResumeState.Waiting), 0));

        Assert.Equal(
        [
            new ToClient(new ResumedNotice(0, ResumeState.Waiting)),
            new ToRoom(new JoinRoom(Code, Me, FirstJoin, Resumable: true, Replaces: Predecessor)),
        ], result.Messages());
    }

    [Fact]
    public void A_session_that_already_serves_a_client_succeeds_nobody()
    {
        var result = Paired().Handle(new ResumeConnection(Me, ActorRefs.Nobody, ClaimsOf(Predecessor, ResumeState.Paired), 0));

        Assert.Empty(result.Messages());
    }

    [Fact]
    public void The_partner_re_points_at_the_successor_and_replays_what_it_kept_addressed_to_it()
    {
        // We are the partner: paired with Partner, which is now succeeded by Successor.
        var successor = new SessionId("successor");
        var s = Send(ResumablePaired(), "1").State;
        s = Send(s, "2").State;

        var result = s.Handle(new PartnerResumed(Me, successor, Code, Received: 1, Replaces: Partner));

        Assert.Equal(new Paired(Code, successor, FirstJoin), result.State.Phase);
        Assert.Equal(new ToPartner(new PartnerResumeAnswer(successor, Me, ResumeVerdict.Accepted, 0)), result.Messages()[0]);
        var replayed = Assert.Single(result.Messages().OfType<ToPartner>().Select(e => e.Message).OfType<PartnerRelay>());
        Assert.Equal((successor, 2L), (replayed.Session, replayed.Seq));
    }

    /// <summary>
    /// A room rebuilt while our partner is being succeeded may pair us with the predecessor before the
    /// successor claims its seat. That pairing is ignored and the pairing with the successor stands
    /// (dropping it would tell the client peer.left and have it relay into a session about to end,
    /// until its resume failed).
    /// </summary>
    [Fact]
    public void A_rebuilt_rooms_pairing_with_the_session_our_partner_succeeded_is_ignored()
    {
        var successor = new SessionId("successor");
        var s = ResumablePaired().Handle(new PartnerResumed(Me, successor, Code, Received: 0, Replaces: Partner)).State;

        var result = s.Handle(new PeerFound(Me, Code, Partner, Initiator: false, FirstJoin, PartnerResumable: true));

        Assert.Empty(result.Messages());
        Assert.Equal(new Paired(Code, successor, FirstJoin), result.State.Phase);
        // Anyone else the room pairs us with is still a new partner (one we missed the departure of).
        var stranger = result.State.Handle(new PeerFound(Me, Code, new SessionId("stranger"), Initiator: false, FirstJoin));
        Assert.Contains(new ToClient(PeerLeftNotice.Instance), stranger.Messages());
    }

    [Fact]
    public void A_successor_of_someone_else_is_refused()
    {
        var result = ResumablePaired().Handle(new PartnerResumed(Me, new SessionId("successor"), Code, 0, Replaces: new SessionId("a-stranger")));

        Assert.Equal([new ToPartner(new PartnerResumeAnswer(new SessionId("successor"), Me, ResumeVerdict.Refused, 0))], result.Messages());
    }

    /// <summary>
    /// A successor is answered with what our client acknowledged, not with what was handed to its
    /// socket. Our socket may have died unnoticed with the partner's message 3 handed to it while the
    /// partner's session was lost: answering 3 would make the successor's client skip re-sending it,
    /// and the only copy (in the lost session) would be gone when our client resumed from 2.
    /// </summary>
    [Fact]
    public void A_partner_that_lost_its_copies_is_told_what_our_client_acknowledged_not_what_was_handed_to_its_socket()
    {
        var successor = new SessionId("successor");
        var s = ResumablePaired();
        for (var seq = 1; seq <= 3; seq++) s = s.Handle(RelayFrom(Partner, $"{seq}") with { Seq = seq }).State;
        s = s.Handle(new ClientAck(Me, 2)).State;

        var result = s.Handle(new PartnerResumed(Me, successor, Code, Received: 0, Replaces: Partner));

        Assert.Equal(3, result.State.PairedFlow().InSeq);
        Assert.Equal(new ToPartner(new PartnerResumeAnswer(successor, Me, ResumeVerdict.Accepted, 2)), result.Messages()[0]);
        // What the successor's client re-sends from 3 on: 3 is a duplicate here, 4 is new.
        var resent = result.State.Handle(RelayFrom(successor, "3") with { Seq = 3 });
        Assert.Empty(resent.Messages());
        var next = resent.State.Handle(RelayFrom(successor, "4") with { Seq = 4 });
        Assert.Equal(4, Assert.IsType<RelayedNotice>(Assert.IsType<ToClient>(Assert.Single(next.Messages())).Message).Seq);
    }
}
