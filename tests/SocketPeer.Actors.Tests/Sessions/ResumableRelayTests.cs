using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Sessions;
using static SocketPeer.Actors.Sessions.SessionEffect;
using static SocketPeer.Actors.Sessions.SessionPhase;
using static SocketPeer.Actors.Tests.Sessions.Given;
using static SocketPeer.Actors.Tests.Sessions.ResumeScenario;

namespace SocketPeer.Actors.Tests.Sessions;

/// <summary>
/// A session that opts in to resuming says so when it joins, and while its partner resumes too,
/// every relay it sends is numbered and kept until the partner acknowledges it; a number already
/// taken (by the client or by the partner) is a duplicate and not delivered twice, nothing is kept
/// for a partner that does not resume, and more than the buffer holds ends the pairing.
/// </summary>
public sealed class ResumableRelayTests
{
    [Fact]
    public void Joins_say_whether_the_session_resumes()
    {
        var optedIn = Idle().Handle(new ClientOptIn(Me)).State;

        var result = optedIn.Handle(new ClientPair(Me, Code));

        Assert.Equal([new ToRoom(new JoinRoom(Code, Me, FirstJoin, Resumable: true))], result.Messages());
    }

    [Fact]
    public void Relays_are_numbered_and_kept_until_the_partner_acknowledges_them()
    {
        var s = ResumablePaired();
        s = Send(s, "1").State;
        s = Send(s, "2").State;
        s = Send(s, "3").State;
        Assert.Equal((3L, 3), (s.PairedFlow().OutSeq, s.PairedFlow().UnackedCount));

        var acked = s.Handle(new PartnerAck(Me, Partner, 2));

        Assert.Equal([3L], acked.State.PairedFlow().Unacked.Select(m => m.Seq));
        Assert.Equal([new ToClient(new AckNotice(2))], acked.Messages());
    }

    [Fact]
    public void Nothing_is_kept_for_a_partner_that_does_not_resume()
    {
        var s = Paired().Handle(new ClientRelay(Me, RelayKind.Data, Utf8("1"))).State;

        Assert.Equal((1L, 0), (s.PairedFlow().OutSeq, s.PairedFlow().UnackedCount));
    }

    [Fact]
    public void A_client_number_is_kept_and_a_number_already_taken_is_a_duplicate()
    {
        var s = Send(ResumablePaired(), "a", seq: 5).State;

        var again = Send(s, "a", seq: 5);
        var next = Send(s, "b");

        Assert.Empty(again.Messages());
        Assert.Equal(6, Assert.IsType<PartnerRelay>(Assert.IsType<ToPartner>(Assert.Single(next.Messages())).Message).Seq);
    }

    [Fact]
    public void Duplicates_from_the_partner_are_not_delivered_twice()
    {
        var s = ResumablePaired().Handle(RelayFrom(Partner, "1") with { Seq = 1 }).State;

        var again = s.Handle(RelayFrom(Partner, "1") with { Seq = 1 });

        Assert.Empty(again.Messages());
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
        ], over.Messages());
    }
}
