using Akka.Actor;
using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Sessions;
using static SocketPeer.Actors.Sessions.SessionEffect;
using static SocketPeer.Actors.Sessions.SessionPhase;
using static SocketPeer.Actors.Tests.Sessions.Given;

namespace SocketPeer.Actors.Tests.Sessions;

/// <summary>The session state machine's resume and soft-state transitions (docs/architecture.md section 5).</summary>
public sealed class ResumeStateTests
{
    private static readonly DateTimeOffset Later = DateTimeOffset.UnixEpoch.AddYears(60);

    /// <summary>Opted in, paired with a partner that resumes too.</summary>
    private static SessionState ResumablePaired(int bufferLimit = 256)
    {
        var idle = SessionState.New(Me, bufferLimit).Handle(new AttachConnection(Me, ActorRefs.Nobody)).State;
        var optedIn = idle.Handle(new ClientOptIn(Me)).State;
        var joining = optedIn.Handle(new ClientPair(Me, Code)).State;
        return joining.Handle(new PeerFound(Me, Code, Partner, Initiator: true, FirstJoin, PartnerResumable: true)).State;
    }

    private static SessionTransition Send(SessionState s, string json, long seq = 0) =>
        s.Handle(new ClientRelay(Me, RelayKind.Data, Utf8(json), seq));

    [Fact]
    public void Joins_say_whether_the_session_resumes()
    {
        var optedIn = Idle().Handle(new ClientOptIn(Me)).State;

        var result = optedIn.Handle(new ClientPair(Me, Code));

        Assert.Equal([new ToRoom(new JoinRoom(Code, Me, FirstJoin, Resumable: true))], result.Effects);
    }

    [Fact]
    public void Relays_are_numbered_and_kept_until_the_partner_acknowledges_them()
    {
        var s = ResumablePaired();
        s = Send(s, "1").State;
        s = Send(s, "2").State;
        s = Send(s, "3").State;
        Assert.Equal((3L, 3), (s.OutSeq, s.UnackedCount));

        var acked = s.Handle(new PartnerAck(Me, Partner, 2));

        Assert.Equal([3L], acked.State.Unacked.Select(m => m.Seq));
        Assert.Equal([new ToClient(new AckNotice(2))], acked.Effects);
    }

    [Fact]
    public void Nothing_is_kept_for_a_partner_that_does_not_resume()
    {
        var s = Paired().Handle(new ClientRelay(Me, RelayKind.Data, Utf8("1"))).State;

        Assert.Equal((1L, 0), (s.OutSeq, s.UnackedCount));
    }

    [Fact]
    public void A_client_number_is_kept_and_a_number_already_taken_is_a_duplicate()
    {
        var s = Send(ResumablePaired(), "a", seq: 5).State;

        var again = Send(s, "a", seq: 5);
        var next = Send(s, "b");

        Assert.Empty(again.Effects);
        Assert.Equal(6, Assert.IsType<PartnerRelay>(Assert.IsType<ToPartner>(Assert.Single(next.Effects)).Message).Seq);
    }

    [Fact]
    public void Duplicates_from_the_partner_are_not_delivered_twice()
    {
        var s = ResumablePaired().Handle(RelayFrom(Partner, "1") with { Seq = 1 }).State;

        var again = s.Handle(RelayFrom(Partner, "1") with { Seq = 1 });

        Assert.Empty(again.Effects);
    }

    [Fact]
    public void A_resumable_session_outlives_its_socket_and_drops_what_arrives_meanwhile()
    {
        var away = ResumablePaired().Handle(new ConnectionClosed(Me));

        Assert.True(away.State.Away);
        Assert.Equal([new ToRoom(new MemberAway(Code, Me))], away.Effects); // no LeaveRoom: the partner hears nothing
        Assert.Empty(away.State.Handle(RelayFrom(Partner, "x") with { Seq = 1 }).Effects);
    }

    [Fact]
    public void The_grace_period_ends_an_absent_session_and_frees_its_slot()
    {
        var away = ResumablePaired().Handle(new ConnectionClosed(Me)).State;

        var expired = away.GraceExpired();

        Assert.Equal([new ToRoom(new LeaveRoom(Code, Me)), Stop.Instance], expired.Effects);
    }

    [Fact]
    public void A_session_that_did_not_opt_in_ends_with_its_socket()
    {
        var closed = Paired().Handle(new ConnectionClosed(Me));

        Assert.Equal([new ToRoom(new LeaveRoom(Code, Me)), Stop.Instance], closed.Effects);
    }

    [Fact]
    public void Resuming_a_live_session_reports_what_it_holds_and_asks_the_partner_to_replay()
    {
        var s = Send(ResumablePaired(), "1").State.Handle(new ConnectionClosed(Me)).State;

        var resumed = s.Handle(new ResumeConnection(Me, ActorRefs.Nobody, Claims(ResumeState.Paired), Received: 4));

        Assert.False(resumed.State.Away);
        Assert.Equal(4, resumed.State.InSeq);
        Assert.Equal(
        [
            new ToClient(new SessionStarted(Me)),
            new ToClient(new ResumedNotice(1, ResumeState.Paired)),
            new ToPartner(new PartnerResumed(Partner, Me, Code, 4)),
            new ToRoom(new MemberBack(Code, Me)),
        ], resumed.Effects);
    }

    [Fact]
    public void The_partner_replays_what_the_resumed_client_has_not_got_in_order()
    {
        var s = ResumablePaired();
        for (var i = 1; i <= 4; i++) s = Send(s, $"{i}").State;

        var answered = s.Handle(new PartnerResumed(Me, Partner, Code, Received: 2));

        Assert.Equal(new ToPartner(new PartnerResumeAnswer(Partner, Me, ResumeVerdict.Accepted, 0)), answered.Effects[0]);
        Assert.Equal([3L, 4L], answered.Effects.Skip(1).Select(e => ((PartnerRelay)((ToPartner)e).Message).Seq));
    }

    [Fact]
    public void A_lost_session_is_rebuilt_from_its_token_and_waits_for_its_partner_to_confirm()
    {
        var rebuilt = Unattached().Handle(new ResumeConnection(Me, ActorRefs.Nobody, Claims(ResumeState.Paired), Received: 7));

        Assert.True(rebuilt.State.Confirming);
        Assert.Equal(new Paired(Code, Partner, FirstJoin), rebuilt.State.Phase);
        Assert.Equal(
        [
            new ToClient(new SessionStarted(Me)),
            new ToPartner(new PartnerResumed(Partner, Me, Code, 7)),
        ], rebuilt.Effects);
    }

    [Fact]
    public void The_partners_confirmation_completes_the_resume_and_rebuilds_the_room_seat()
    {
        var rebuilt = Unattached().Handle(new ResumeConnection(Me, ActorRefs.Nobody, Claims(ResumeState.Paired), 7)).State;

        var confirmed = rebuilt.Handle(new PartnerResumeAnswer(Me, Partner, ResumeVerdict.Accepted, Received: 3));

        Assert.False(confirmed.State.Confirming);
        Assert.Equal(3, confirmed.State.OutSeq); // the client re-sends from 4
        Assert.Equal(
        [
            new ToClient(new ResumedNotice(3, ResumeState.Paired)),
            new ToRoom(new JoinRoom(Code, Me, FirstJoin, Resumable: true, Partner: Partner)),
        ], confirmed.Effects);
    }

    [Fact]
    public void A_rebuilt_session_holds_live_relays_until_the_partner_answered_so_the_replay_is_not_taken_for_duplicates()
    {
        // Seen in a rolling restart: the rebuilt session was confirmed by the partner's own resume,
        // then a live relay (64) overtook the partner's replay (63, 64) and the replayed 63 was dropped.
        var rebuilt = Unattached().Handle(new ResumeConnection(Me, ActorRefs.Nobody, Claims(ResumeState.Paired), 62)).State;
        var confirmed = rebuilt.Handle(new PartnerResumed(Me, Partner, Code, 40)).State;

        var live = confirmed.Handle(Relay(64));
        Assert.Empty(live.Effects); // the partner keeps it and replays it after 63

        var answered = live.State.Handle(new PartnerResumeAnswer(Me, Partner, ResumeVerdict.Accepted, 40)).State;
        var r63 = answered.Handle(Relay(63));
        var r64 = r63.State.Handle(Relay(64));
        Assert.Equal([63L, 64L], r63.Effects.Concat(r64.Effects).Select(e => ((RelayedNotice)((ToClient)e).Message).Seq));
    }

    [Fact]
    public void A_session_waiting_for_a_replay_asks_again_when_the_partner_resumes_since_its_request_may_have_gone_to_a_lost_incarnation()
    {
        var rebuilt = Unattached().Handle(new ResumeConnection(Me, ActorRefs.Nobody, Claims(ResumeState.Paired), 7)).State;

        var result = rebuilt.Handle(new PartnerResumed(Me, Partner, Code, 3));

        Assert.Contains(new ToPartner(new PartnerResumed(Partner, Me, Code, 7)), result.Effects);
        Assert.True(result.State.Replaying);
    }

    [Fact]
    public void An_unknown_answer_ends_the_wait_for_a_replay_but_not_the_confirmation()
    {
        var rebuilt = Unattached().Handle(new ResumeConnection(Me, ActorRefs.Nobody, Claims(ResumeState.Paired), 7)).State;

        var result = rebuilt.Handle(new PartnerResumeAnswer(Me, Partner, ResumeVerdict.Unknown, 0));

        Assert.False(result.State.Replaying);
        Assert.True(result.State.Confirming);
        Assert.Empty(result.Effects);
    }

    private static PartnerRelay Relay(long seq) => new(Me, Partner, Code, RelayKind.Data, Utf8($"{seq}"), seq);

    [Fact]
    public void A_partner_that_moved_on_makes_the_resume_fail()
    {
        var rebuilt = Unattached().Handle(new ResumeConnection(Me, ActorRefs.Nobody, Claims(ResumeState.Paired), 0)).State;

        var refused = rebuilt.Handle(new PartnerResumeAnswer(Me, Partner, ResumeVerdict.Refused, 0));

        Assert.IsType<Idle>(refused.State.Phase);
        Assert.Equal(new ToClient(new RefusedNotice(Refusal.PairingEnded)), Assert.Single(refused.Effects));
    }

    [Fact]
    public void When_both_sessions_were_lost_each_ones_resume_confirms_the_other()
    {
        var rebuilt = Unattached().Handle(new ResumeConnection(Me, ActorRefs.Nobody, Claims(ResumeState.Paired), 2)).State;
        var unknown = rebuilt.Handle(new PartnerResumeAnswer(Me, Partner, ResumeVerdict.Unknown, 0));
        Assert.True(unknown.State.Confirming);

        var partnerBack = unknown.State.Handle(new PartnerResumed(Me, Partner, Code, Received: 5));

        Assert.False(partnerBack.State.Confirming);
        Assert.Contains(new ToClient(new ResumedNotice(5, ResumeState.Paired)), partnerBack.Effects);
        Assert.Contains(new ToPartner(new PartnerResumeAnswer(Partner, Me, ResumeVerdict.Accepted, 2)), partnerBack.Effects);
    }

    [Fact]
    public void A_fresh_entity_asked_about_a_pairing_says_it_does_not_know_and_stops()
    {
        var result = Unattached().Handle(new PartnerResumed(Me, Partner, Code, 0));

        Assert.Equal([new ToPartner(new PartnerResumeAnswer(Partner, Me, ResumeVerdict.Unknown, 0)), Stop.Instance], result.Effects);
    }

    [Fact]
    public void An_unconfirmed_pairing_fails_at_the_end_of_the_grace_period()
    {
        var rebuilt = Unattached().Handle(new ResumeConnection(Me, ActorRefs.Nobody, Claims(ResumeState.Paired), 0)).State;

        var expired = rebuilt.ConfirmExpired();

        Assert.IsType<Idle>(expired.State.Phase);
        Assert.Equal(new ToClient(new RefusedNotice(Refusal.PartnerDidNotReturn)), Assert.Single(expired.Effects));
    }

    [Fact]
    public void A_waiting_token_rebuilds_by_joining_the_room_again()
    {
        var rebuilt = Unattached().Handle(new ResumeConnection(Me, ActorRefs.Nobody,
            new ResumeClaims(Me, ResumeState.Waiting, Code, null, false, Later), 0));

        Assert.Equal(new Joining(Code, FirstJoin), rebuilt.State.Phase);
        Assert.Contains(new ToRoom(new JoinRoom(Code, Me, FirstJoin, Resumable: true)), rebuilt.Effects);
        Assert.Contains(new ToClient(new ResumedNotice(0, ResumeState.Waiting)), rebuilt.Effects);
    }

    [Fact]
    public void More_than_the_buffer_holds_for_an_absent_partner_ends_the_pairing()
    {
        var s = ResumablePaired(bufferLimit: 2);
        s = Send(s, "1").State;
        s = Send(s, "2").State;

        var over = Send(s, "3");

        Assert.Equal(new Waiting(Code, FirstJoin), over.State.Phase);
        Assert.Equal(
        [
            new ToClient(PeerLeftNotice.Instance),
            new ToRoom(new LeaveRoom(Code, Partner)),
            new ToPartner(new PartnerGaveUp(Partner, Me)),
        ], over.Effects);
    }

    [Fact]
    public void An_absent_session_whose_partner_gave_up_ends()
    {
        var away = ResumablePaired().Handle(new ConnectionClosed(Me)).State;

        var ended = away.Handle(new PartnerGaveUp(Me, Partner));

        Assert.Contains(Stop.Instance, ended.Effects);
    }

    [Fact]
    public void An_attached_session_whose_partner_gave_up_hears_peer_left_and_waits_in_the_room_again()
    {
        var attached = ResumablePaired();

        var left = attached.Handle(new PartnerGaveUp(Me, Partner));

        var joining = Assert.IsType<Joining>(left.State.Phase);
        Assert.Equal(
            [new ToClient(PeerLeftNotice.Instance), new ToRoom(new JoinRoom(Code, Me, joining.Attempt, Resumable: true))],
            left.Effects);
        Assert.Empty(left.State.Handle(new ClientRelay(Me, RelayKind.Data, "\"x\""u8.ToArray())).Effects.OfType<ToPartner>());
    }

    [Fact]
    public void A_gave_up_from_someone_else_changes_nothing()
    {
        var attached = ResumablePaired();

        Assert.Empty(attached.Handle(new PartnerGaveUp(Me, Stranger)).Effects);
        Assert.Empty(attached.Handle(new ConnectionClosed(Me)).State.Handle(new PartnerGaveUp(Me, Stranger)).Effects);
    }

    [Fact]
    public void A_lost_partner_that_does_not_resume_is_dropped_at_once()
    {
        var lost = Paired().PartnerLost(Partner);

        Assert.Equal(new Waiting(Code, FirstJoin), lost.State.Phase);
        Assert.Contains(new ToClient(PeerLeftNotice.Instance), lost.Effects);
        Assert.Contains(new ToRoom(new LeaveRoom(Code, Partner)), lost.Effects);
    }

    [Fact]
    public void A_lost_partner_that_resumes_is_waited_for_through_the_grace_period()
    {
        var lost = ResumablePaired().PartnerLost(Partner);
        Assert.True(lost.State.PartnerAway);
        Assert.Empty(lost.Effects);

        var back = lost.State.Handle(new PartnerResumed(Me, Partner, Code, 0));
        Assert.False(back.State.PartnerAway);
        Assert.Empty(back.State.PartnerGraceExpired(Partner).Effects);

        var gone = lost.State.PartnerGraceExpired(Partner);
        Assert.Contains(new ToClient(PeerLeftNotice.Instance), gone.Effects);
    }

    [Theory]
    [InlineData(nameof(Waiting))]
    [InlineData(nameof(Paired))]
    public void A_lost_room_is_joined_again_with_the_same_attempt(string phase)
    {
        var result = InPhase(phase).RoomLost(Code);

        // A paired member names its partner, so the rebuilt room never gives the partner's seat away.
        var partner = phase == "Paired" ? Partner : (SessionId?)null;
        Assert.Equal([new ToRoom(new JoinRoom(Code, Me, FirstJoin, Partner: partner))], result.Effects);
    }

    [Fact]
    public void A_rebuilt_room_answering_as_before_changes_nothing()
    {
        var paired = Paired();

        var again = paired.Handle(new PeerFound(Me, Code, Partner, Initiator: false, FirstJoin));

        Assert.Same(paired, again.State);
        Assert.Empty(again.Effects); // no second peer.found
    }

    [Fact]
    public void A_lost_room_of_another_code_is_none_of_our_business()
    {
        Assert.Empty(Paired().RoomLost(OtherCode).Effects);
        Assert.Empty(Idle().RoomLost(Code).Effects);
    }

    [Fact]
    public void Resuming_an_absent_session_takes_its_seat_back()
    {
        var away = ResumablePaired().Handle(new ConnectionClosed(Me)).State;

        var resumed = away.Handle(new ResumeConnection(Me, ActorRefs.Nobody, Claims(ResumeState.Paired), 0));

        Assert.Contains(new ToRoom(new MemberBack(Code, Me)), resumed.Effects);
    }

    [Fact]
    public void An_absent_session_whose_seat_was_taken_ends_quietly()
    {
        var away = ResumablePaired().Handle(new ConnectionClosed(Me)).State;

        var taken = away.Handle(new SeatTaken(Me, Code));

        Assert.Equal([Stop.Instance], taken.Effects); // no LeaveRoom: the room has moved on
    }

    [Fact]
    public void After_a_resume_live_relays_wait_behind_the_partners_replay()
    {
        var away = ResumablePaired().Handle(new ConnectionClosed(Me)).State;
        var resumed = away.Handle(new ResumeConnection(Me, ActorRefs.Nobody, Claims(ResumeState.Paired), Received: 2)).State;

        // Sent by the partner before it heard of the resume: it keeps it and replays it after 3 and 4.
        var early = resumed.Handle(RelayFrom(Partner, "5") with { Seq = 5 });
        Assert.Empty(early.Effects);

        var answered = early.State.Handle(new PartnerResumeAnswer(Me, Partner, ResumeVerdict.Accepted, 0)).State;
        var replayed = answered.Handle(RelayFrom(Partner, "3") with { Seq = 3 });
        Assert.Equal(3, Assert.IsType<RelayedNotice>(Assert.IsType<ToClient>(Assert.Single(replayed.Effects)).Message).Seq);
    }

    [Fact]
    public void A_rebuilt_session_takes_no_live_relay_before_its_partner_confirms()
    {
        var rebuilt = Unattached().Handle(new ResumeConnection(Me, ActorRefs.Nobody, Claims(ResumeState.Paired), 2)).State;

        Assert.Empty(rebuilt.Handle(RelayFrom(Partner, "9") with { Seq = 9 }).Effects);
    }

    private static ResumeClaims Claims(ResumeState state) => new(Me, state, Code, Partner, true, Later);

    // ---- successors: the claimed session's node is unreachable, the socket's fresh session takes over

    private static readonly SessionId Predecessor = new("predecessor-on-a-crashed-node");

    private static ResumeClaims ClaimsOf(SessionId session, ResumeState state) => new(session, state, Code, Partner, true, Later);

    [Fact]
    public void A_fresh_session_succeeds_a_paired_one_by_asking_the_partner_to_re_point_and_replay()
    {
        var result = Idle().Handle(new ResumeConnection(Me, ActorRefs.Nobody, ClaimsOf(Predecessor, ResumeState.Paired), Received: 7));

        Assert.Equal(new Paired(Code, Partner, FirstJoin), result.State.Phase);
        Assert.True(result.State is { Confirming: true, Replaying: true, Resumable: true, InSeq: 7 });
        Assert.Equal([new ToPartner(new PartnerResumed(Partner, Me, Code, 7, Replaces: Predecessor))], result.Effects);
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
        ], confirmed.Effects);
    }

    [Fact]
    public void A_fresh_session_succeeds_a_waiting_one_in_its_seat()
    {
        var result = Idle().Handle(new ResumeConnection(Me, ActorRefs.Nobody, ClaimsOf(Predecessor, ResumeState.Waiting), 0));

        Assert.Equal(
        [
            new ToClient(new ResumedNotice(0, ResumeState.Waiting)),
            new ToRoom(new JoinRoom(Code, Me, FirstJoin, Resumable: true, Replaces: Predecessor)),
        ], result.Effects);
    }

    [Fact]
    public void A_session_that_already_serves_a_client_succeeds_nobody()
    {
        var result = Paired().Handle(new ResumeConnection(Me, ActorRefs.Nobody, ClaimsOf(Predecessor, ResumeState.Paired), 0));

        Assert.Empty(result.Effects);
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
        Assert.Equal(new ToPartner(new PartnerResumeAnswer(successor, Me, ResumeVerdict.Accepted, 0)), result.Effects[0]);
        var replayed = Assert.Single(result.Effects.OfType<ToPartner>().Select(e => e.Message).OfType<PartnerRelay>());
        Assert.Equal((successor, 2L), (replayed.Session, replayed.Seq));
    }

    /// <summary>
    /// Seen in a chaos run under load: the room was lost while our partner was being succeeded, and
    /// the rebuilt room paired us with the predecessor before the successor claimed its seat. We must
    /// not drop the pairing with the successor (the client heard peer.left, then relayed into a session
    /// about to end until its resume failed).
    /// </summary>
    [Fact]
    public void A_rebuilt_rooms_pairing_with_the_session_our_partner_succeeded_is_ignored()
    {
        var successor = new SessionId("successor");
        var s = ResumablePaired().Handle(new PartnerResumed(Me, successor, Code, Received: 0, Replaces: Partner)).State;

        var result = s.Handle(new PeerFound(Me, Code, Partner, Initiator: false, FirstJoin, PartnerResumable: true));

        Assert.Empty(result.Effects);
        Assert.Equal(new Paired(Code, successor, FirstJoin), result.State.Phase);
        // Anyone else the room pairs us with is still a new partner (one we missed the departure of).
        var stranger = result.State.Handle(new PeerFound(Me, Code, new SessionId("stranger"), Initiator: false, FirstJoin));
        Assert.Contains(new ToClient(PeerLeftNotice.Instance), stranger.Effects);
    }

    [Fact]
    public void A_successor_of_someone_else_is_refused()
    {
        var result = ResumablePaired().Handle(new PartnerResumed(Me, new SessionId("successor"), Code, 0, Replaces: new SessionId("a-stranger")));

        Assert.Equal([new ToPartner(new PartnerResumeAnswer(new SessionId("successor"), Me, ResumeVerdict.Refused, 0))], result.Effects);
    }

    /// <summary>
    /// A chaos run lost one message this way: our socket died unnoticed with the partner's message 3
    /// handed to it, and the partner's session was lost and succeeded. Had we answered with what we
    /// handed over (3), the successor would tell its client the server has 3, the client would not
    /// re-send it, and the only copy (in the lost session) would be gone when our client resumed from 2.
    /// </summary>
    [Fact]
    public void A_partner_that_lost_its_copies_is_told_what_our_client_acknowledged_not_what_was_handed_to_its_socket()
    {
        var successor = new SessionId("successor");
        var s = ResumablePaired();
        for (var seq = 1; seq <= 3; seq++) s = s.Handle(RelayFrom(Partner, $"{seq}") with { Seq = seq }).State;
        s = s.Handle(new ClientAck(Me, 2)).State;

        var result = s.Handle(new PartnerResumed(Me, successor, Code, Received: 0, Replaces: Partner));

        Assert.Equal(3, result.State.InSeq);
        Assert.Equal(new ToPartner(new PartnerResumeAnswer(successor, Me, ResumeVerdict.Accepted, 2)), result.Effects[0]);
        // What the successor's client re-sends from 3 on: 3 is a duplicate here, 4 is new.
        var resent = result.State.Handle(RelayFrom(successor, "3") with { Seq = 3 });
        Assert.Empty(resent.Effects);
        var next = resent.State.Handle(RelayFrom(successor, "4") with { Seq = 4 });
        Assert.Equal(4, Assert.IsType<RelayedNotice>(Assert.IsType<ToClient>(Assert.Single(next.Effects)).Message).Seq);
    }

    [Fact]
    public void Our_own_resume_counts_as_an_acknowledgement_of_what_our_client_says_it_has()
    {
        var s = ResumablePaired().Handle(new ConnectionClosed(Me)).State;
        s = s.Handle(new ResumeConnection(Me, ActorRefs.Nobody, Claims(ResumeState.Paired), Received: 5)).State;

        var result = s.Handle(new PartnerResumed(Me, Partner, Code, Received: 0));

        Assert.Equal(new ToPartner(new PartnerResumeAnswer(Partner, Me, ResumeVerdict.Accepted, 5)), result.Effects[0]);
    }

    [Fact]
    public void A_client_that_never_acknowledges_is_answered_for_with_what_it_was_handed()
    {
        var s = Paired(); // not opted in: its client gets no numbers, so it cannot acknowledge
        for (var seq = 1; seq <= 3; seq++) s = s.Handle(RelayFrom(Partner, $"{seq}") with { Seq = seq }).State;

        var result = s.Handle(new PartnerResumed(Me, Partner, Code, Received: 0));

        Assert.Equal(new ToPartner(new PartnerResumeAnswer(Partner, Me, ResumeVerdict.Accepted, 3)), result.Effects[0]);
    }
}
