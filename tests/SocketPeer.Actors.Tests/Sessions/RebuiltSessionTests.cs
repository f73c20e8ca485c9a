using Akka.Actor;
using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Sessions;
using static SocketPeer.Actors.Sessions.SessionEffect;
using static SocketPeer.Actors.Sessions.SessionPhase;
using static SocketPeer.Actors.Tests.Sessions.Given;
using static SocketPeer.Actors.Tests.Sessions.ResumeScenario;

namespace SocketPeer.Actors.Tests.Sessions;

/// <summary>
/// A session lost with its node is rebuilt from the client's resume token: a waiting one joins its
/// room again, a paired one waits for its partner to confirm (taking no live relay before the partner
/// has answered, so the replay is not taken for duplicates) and then takes its room seat back. The
/// resume fails when the partner moved on or does not confirm within the grace period; when both
/// sessions were lost, each one's resume confirms the other, and a fresh entity asked about a pairing
/// it never had says it does not know.
/// </summary>
public sealed class RebuiltSessionTests
{
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
        ], rebuilt.Messages());
    }

    [Fact]
    public void The_partners_confirmation_completes_the_resume_and_rebuilds_the_room_seat()
    {
        var rebuilt = Unattached().Handle(new ResumeConnection(Me, ActorRefs.Nobody, Claims(ResumeState.Paired), 7)).State;

        var confirmed = rebuilt.Handle(new PartnerResumeAnswer(Me, Partner, ResumeVerdict.Accepted, Received: 3));

        Assert.False(confirmed.State.Confirming);
        Assert.Equal(3, confirmed.State.PairedFlow().OutSeq); // the client re-sends from 4
        Assert.Equal(
        [
            new ToClient(new ResumedNotice(3, ResumeState.Paired)),
            new ToRoom(new JoinRoom(Code, Me, FirstJoin, Resumable: true, Partner: Partner)),
        ], confirmed.Messages());
    }

    [Fact]
    public void A_rebuilt_session_holds_live_relays_until_the_partner_answered_so_the_replay_is_not_taken_for_duplicates()
    {
        // Confirmed by the partner's own resume, the session still waits for the partner's answer: a live
        // relay (64) that overtakes the replay (63, 64) is not delivered, so the replayed 63 is not dropped.
        var rebuilt = Unattached().Handle(new ResumeConnection(Me, ActorRefs.Nobody, Claims(ResumeState.Paired), 62)).State;
        var confirmed = rebuilt.Handle(new PartnerResumed(Me, Partner, Code, 40)).State;

        var live = confirmed.Handle(Relay(64));
        Assert.Empty(live.Messages()); // the partner keeps it and replays it after 63

        var answered = live.State.Handle(new PartnerResumeAnswer(Me, Partner, ResumeVerdict.Accepted, 40)).State;
        var r63 = answered.Handle(Relay(63));
        var r64 = r63.State.Handle(Relay(64));
        Assert.Equal([63L, 64L], r63.Messages().Concat(r64.Messages()).Select(e => ((RelayedNotice)((ToClient)e).Message).Seq));
    }

    [Fact]
    public void A_rebuilt_session_takes_no_live_relay_before_its_partner_confirms()
    {
        var rebuilt = Unattached().Handle(new ResumeConnection(Me, ActorRefs.Nobody, Claims(ResumeState.Paired), 2)).State;

        Assert.Empty(rebuilt.Handle(RelayFrom(Partner, "9") with { Seq = 9 }).Messages());
    }

    [Fact]
    public void A_session_waiting_for_a_replay_asks_again_when_the_partner_resumes_since_its_request_may_have_gone_to_a_lost_incarnation()
    {
        var rebuilt = Unattached().Handle(new ResumeConnection(Me, ActorRefs.Nobody, Claims(ResumeState.Paired), 7)).State;

        var result = rebuilt.Handle(new PartnerResumed(Me, Partner, Code, 3));

        Assert.Contains(new ToPartner(new PartnerResumed(Partner, Me, Code, 7)), result.Messages());
        Assert.True(result.State.Replaying);
    }

    [Fact]
    public void An_unknown_answer_ends_the_wait_for_a_replay_but_not_the_confirmation()
    {
        var rebuilt = Unattached().Handle(new ResumeConnection(Me, ActorRefs.Nobody, Claims(ResumeState.Paired), 7)).State;

        var result = rebuilt.Handle(new PartnerResumeAnswer(Me, Partner, ResumeVerdict.Unknown, 0));

        Assert.False(result.State.Replaying);
        Assert.True(result.State.Confirming);
        Assert.Empty(result.Messages());
    }

    [Fact]
    public void When_both_sessions_were_lost_each_ones_resume_confirms_the_other()
    {
        var rebuilt = Unattached().Handle(new ResumeConnection(Me, ActorRefs.Nobody, Claims(ResumeState.Paired), 2)).State;
        var unknown = rebuilt.Handle(new PartnerResumeAnswer(Me, Partner, ResumeVerdict.Unknown, 0));
        Assert.True(unknown.State.Confirming);

        var partnerBack = unknown.State.Handle(new PartnerResumed(Me, Partner, Code, Received: 5));

        Assert.False(partnerBack.State.Confirming);
        Assert.Contains(new ToClient(new ResumedNotice(5, ResumeState.Paired)), partnerBack.Messages());
        Assert.Contains(new ToPartner(new PartnerResumeAnswer(Partner, Me, ResumeVerdict.Accepted, 2)), partnerBack.Messages());
    }

    [Fact]
    public void A_fresh_entity_asked_about_a_pairing_says_it_does_not_know_and_stops()
    {
        var result = Unattached().Handle(new PartnerResumed(Me, Partner, Code, 0));

        Assert.Equal([new ToPartner(new PartnerResumeAnswer(Partner, Me, ResumeVerdict.Unknown, 0)), Stop.Instance], result.Messages());
    }

    [Fact]
    public void A_partner_that_moved_on_makes_the_resume_fail()
    {
        var rebuilt = Unattached().Handle(new ResumeConnection(Me, ActorRefs.Nobody, Claims(ResumeState.Paired), 0)).State;

        var refused = rebuilt.Handle(new PartnerResumeAnswer(Me, Partner, ResumeVerdict.Refused, 0));

        Assert.IsType<Idle>(refused.State.Phase);
        Assert.Equal(new ToClient(new RefusedNotice(Refusal.PairingEnded)), Assert.Single(refused.Messages()));
    }

    [Fact]
    public void An_unconfirmed_pairing_fails_at_the_end_of_the_grace_period()
    {
        var rebuilt = Unattached().Handle(new ResumeConnection(Me, ActorRefs.Nobody, Claims(ResumeState.Paired), 0)).State;

        var expired = rebuilt.Handle(ConfirmElapsed.Instance);

        Assert.IsType<Idle>(expired.State.Phase);
        Assert.Equal(new ToClient(new RefusedNotice(Refusal.PartnerDidNotReturn)), Assert.Single(expired.Messages()));
    }

    [Fact]
    public void A_waiting_token_rebuilds_by_joining_the_room_again()
    {
        var rebuilt = Unattached().Handle(new ResumeConnection(Me, ActorRefs.Nobody,
            new ResumeClaims(Me, ResumeState.Waiting, Code, null, false, Latest), 0));

        Assert.Equal(new Joining(Code, FirstJoin), rebuilt.State.Phase);
        Assert.Contains(new ToRoom(new JoinRoom(Code, Me, FirstJoin, Resumable: true)), rebuilt.Messages());
        Assert.Contains(new ToClient(new ResumedNotice(0, ResumeState.Waiting)), rebuilt.Messages());
    }

    [Fact]
    public void Leaving_an_unconfirmed_pairing_ends_its_confirmation_with_it()
    {
        var rebuilt = Unattached().Handle(new ResumeConnection(Me, ActorRefs.Nobody, Claims(ResumeState.Paired), 0)).State;

        var left = rebuilt.Handle(new ClientLeave(Me));

        Assert.Contains(new CancelTimer(SessionTimer.Confirm), left.Effects);
        Assert.Empty(left.State.Handle(ConfirmElapsed.Instance).Effects);
    }

    [Fact]
    public void A_new_pairing_after_an_unconfirmed_one_delivers_relays_at_once()
    {
        var rebuilt = Unattached().Handle(new ResumeConnection(Me, ActorRefs.Nobody, Claims(ResumeState.Paired), 0)).State;
        var joining = rebuilt.Handle(new ClientPair(Me, OtherCode)).State;
        var paired = joining.Handle(new PeerFound(Me, OtherCode, Stranger, Initiator: true, joining.Joins)).State;

        var relayed = paired.Handle(RelayFrom(Stranger, "1", OtherCode) with { Seq = 1 });

        Assert.Contains(relayed.Effects, e => e is ToClient { Message: RelayedNotice });
    }
}
