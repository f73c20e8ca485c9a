using Akka.Actor;
using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Sessions;
using static SocketPeer.Actors.Sessions.SessionEffect;
using static SocketPeer.Actors.Sessions.SessionPhase;
using static SocketPeer.Actors.Tests.Sessions.Given;
using static SocketPeer.Actors.Tests.Sessions.ResumeScenario;

namespace SocketPeer.Actors.Tests.Sessions;

/// <summary>
/// The partner's side of a resume: a session whose partner resumes replays, in order, what that
/// partner's client has not got and answers with what its own client has (acknowledged, or handed
/// over when its client cannot acknowledge); a lost partner that resumes is waited for through the
/// grace period and one that does not is dropped at once; a partner that gives up sends the attached
/// session back to wait in the room, and a gave-up from anyone else changes nothing.
/// </summary>
public sealed class PartnerAwayTests
{
    [Fact]
    public void The_partner_replays_what_the_resumed_client_has_not_got_in_order()
    {
        var s = ResumablePaired();
        for (var i = 1; i <= 4; i++) s = Send(s, $"{i}").State;

        var answered = s.Handle(new PartnerResumed(Me, Partner, Code, Received: 2));

        Assert.Equal(new ToPartner(new PartnerResumeAnswer(Partner, Me, ResumeVerdict.Accepted, 0)), answered.Messages()[0]);
        Assert.Equal([3L, 4L], answered.Messages().Skip(1).Select(e => ((PartnerRelay)((ToPartner)e).Message).Seq));
    }

    [Fact]
    public void Our_own_resume_counts_as_an_acknowledgement_of_what_our_client_says_it_has()
    {
        var s = ResumablePaired().Handle(new ConnectionClosed(Me)).State;
        s = s.Handle(new ResumeConnection(Me, ActorRefs.Nobody, Claims(ResumeState.Paired), Received: 5)).State;

        var result = s.Handle(new PartnerResumed(Me, Partner, Code, Received: 0));

        Assert.Equal(new ToPartner(new PartnerResumeAnswer(Partner, Me, ResumeVerdict.Accepted, 5)), result.Messages()[0]);
    }

    [Fact]
    public void A_client_that_never_acknowledges_is_answered_for_with_what_it_was_handed()
    {
        var s = Paired(); // not opted in: its client gets no numbers, so it cannot acknowledge
        for (var seq = 1; seq <= 3; seq++) s = s.Handle(RelayFrom(Partner, $"{seq}") with { Seq = seq }).State;

        var result = s.Handle(new PartnerResumed(Me, Partner, Code, Received: 0));

        Assert.Equal(new ToPartner(new PartnerResumeAnswer(Partner, Me, ResumeVerdict.Accepted, 3)), result.Messages()[0]);
    }

    [Fact]
    public void A_lost_partner_that_does_not_resume_is_dropped_at_once()
    {
        var lost = Paired().WatchedPartnerLost(Partner);

        Assert.Equal(new Waiting(Code, FirstJoin), lost.State.Phase);
        Assert.Contains(new ToClient(PeerLeftNotice.Instance), lost.Messages());
        Assert.Contains(new ToRoom(new LeaveRoom(Code, Partner)), lost.Messages());
    }

    [Fact]
    public void A_lost_partner_that_resumes_is_waited_for_through_the_grace_period()
    {
        var lost = ResumablePaired().WatchedPartnerLost(Partner);
        Assert.True(lost.State.PartnerAway);
        Assert.Empty(lost.Messages());

        var back = lost.State.Handle(new PartnerResumed(Me, Partner, Code, 0));
        Assert.False(back.State.PartnerAway);
        Assert.Empty(back.State.Handle(new PartnerGraceElapsed(Partner)).Messages());

        var gone = lost.State.Handle(new PartnerGraceElapsed(Partner));
        Assert.Contains(new ToClient(PeerLeftNotice.Instance), gone.Messages());
    }

    [Fact]
    public void An_attached_session_whose_partner_gave_up_hears_peer_left_and_waits_in_the_room_again()
    {
        var attached = ResumablePaired();

        var left = attached.Handle(new PartnerGaveUp(Me, Partner));

        var joining = Assert.IsType<Joining>(left.State.Phase);
        Assert.Equal(
            [new ToClient(PeerLeftNotice.Instance), new ToRoom(new JoinRoom(Code, Me, joining.Attempt, Resumable: true))],
            left.Messages());
        Assert.Empty(left.State.Handle(new ClientRelay(Me, RelayKind.Data, "\"x\""u8.ToArray())).Messages().OfType<ToPartner>());
    }

    [Fact]
    public void A_gave_up_from_someone_else_changes_nothing()
    {
        var attached = ResumablePaired();

        Assert.Empty(attached.Handle(new PartnerGaveUp(Me, Stranger)).Messages());
        Assert.Empty(attached.Handle(new ConnectionClosed(Me)).State.Handle(new PartnerGaveUp(Me, Stranger)).Messages());
    }
}
