using Akka.Actor;
using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Sessions;
using static SocketPeer.Actors.Sessions.SessionEffect;
using static SocketPeer.Actors.Tests.Sessions.Given;
using static SocketPeer.Actors.Tests.Sessions.ResumeScenario;

namespace SocketPeer.Actors.Tests.Sessions;

/// <summary>
/// A resumable session outlives its socket for the grace period: it is away from the room rather
/// than gone, ends when the grace period ends, when its seat is taken or when its partner gives up,
/// and a resume within the grace period takes its seat back, reports what it holds and asks the
/// partner to replay, holding live relays behind that replay. A session that did not opt in ends with
/// its socket.
/// </summary>
public sealed class AbsentSessionTests
{
    [Fact]
    public void A_resumable_session_outlives_its_socket_and_drops_what_arrives_meanwhile()
    {
        var away = ResumablePaired().Handle(new ConnectionClosed(Me));

        Assert.True(away.State.Away);
        Assert.Equal([new ToRoom(new MemberAway(Code, Me))], away.Messages()); // no LeaveRoom: the partner hears nothing
        Assert.Empty(away.State.Handle(RelayFrom(Partner, "x") with { Seq = 1 }).Messages());
    }

    [Fact]
    public void The_grace_period_ends_an_absent_session_and_frees_its_slot()
    {
        var away = ResumablePaired().Handle(new ConnectionClosed(Me)).State;

        var expired = away.Handle(GraceElapsed.Instance);

        Assert.Equal([new ToRoom(new LeaveRoom(Code, Me)), Stop.Instance], expired.Messages());
    }

    [Fact]
    public void A_session_that_did_not_opt_in_ends_with_its_socket()
    {
        var closed = Paired().Handle(new ConnectionClosed(Me));

        Assert.Equal([new ToRoom(new LeaveRoom(Code, Me)), Stop.Instance], closed.Messages());
    }

    [Fact]
    public void Resuming_a_live_session_reports_what_it_holds_and_asks_the_partner_to_replay()
    {
        var s = Send(ResumablePaired(), "1").State.Handle(new ConnectionClosed(Me)).State;

        var resumed = s.Handle(new ResumeConnection(Me, ActorRefs.Nobody, Claims(ResumeState.Paired), Received: 4));

        Assert.False(resumed.State.Away);
        Assert.Equal(4, resumed.State.PairedFlow().InSeq);
        Assert.Equal(
        [
            new ToClient(new SessionStarted(Me)),
            new ToClient(new ResumedNotice(1, ResumeState.Paired)),
            new ToPartner(new PartnerResumed(Partner, Me, Code, 4)),
            new ToRoom(new MemberBack(Code, Me)),
        ], resumed.Messages());
    }

    [Fact]
    public void Resuming_an_absent_session_takes_its_seat_back()
    {
        var away = ResumablePaired().Handle(new ConnectionClosed(Me)).State;

        var resumed = away.Handle(new ResumeConnection(Me, ActorRefs.Nobody, Claims(ResumeState.Paired), 0));

        Assert.Contains(new ToRoom(new MemberBack(Code, Me)), resumed.Messages());
    }

    [Fact]
    public void An_absent_session_whose_seat_was_taken_ends_quietly()
    {
        var away = ResumablePaired().Handle(new ConnectionClosed(Me)).State;

        var taken = away.Handle(new SeatTaken(Me, Code));

        Assert.Equal([Stop.Instance], taken.Messages()); // no LeaveRoom: the room has moved on
    }

    [Fact]
    public void After_a_resume_live_relays_wait_behind_the_partners_replay()
    {
        var away = ResumablePaired().Handle(new ConnectionClosed(Me)).State;
        var resumed = away.Handle(new ResumeConnection(Me, ActorRefs.Nobody, Claims(ResumeState.Paired), Received: 2)).State;

        // Sent by the partner before it heard of the resume: it keeps it and replays it after 3 and 4.
        var early = resumed.Handle(RelayFrom(Partner, "5") with { Seq = 5 });
        Assert.Empty(early.Messages());

        var answered = early.State.Handle(new PartnerResumeAnswer(Me, Partner, ResumeVerdict.Accepted, 0)).State;
        var replayed = answered.Handle(RelayFrom(Partner, "3") with { Seq = 3 });
        Assert.Equal(3, Assert.IsType<RelayedNotice>(Assert.IsType<ToClient>(Assert.Single(replayed.Messages())).Message).Seq);
    }

    [Fact]
    public void An_absent_session_whose_partner_gave_up_ends()
    {
        var away = ResumablePaired().Handle(new ConnectionClosed(Me)).State;

        var ended = away.Handle(new PartnerGaveUp(Me, Partner));

        Assert.Contains(Stop.Instance, ended.Messages());
    }
}
