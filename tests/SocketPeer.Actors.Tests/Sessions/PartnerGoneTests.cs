using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Sessions;
using static SocketPeer.Actors.Sessions.SessionEffect;
using static SocketPeer.Actors.Sessions.SessionPhase;
using static SocketPeer.Actors.Tests.Sessions.Given;

namespace SocketPeer.Actors.Tests.Sessions;

/// <summary>
/// A session paired with one that is gone (ended, or lost with its node) learns it from the fresh
/// incarnation its hello or relay makes, even when the room's word of it died with the room's node.
/// </summary>
public sealed class PartnerGoneTests
{
    [Fact]
    public void A_fresh_incarnation_answers_a_hello_that_the_session_it_was_is_gone()
    {
        var result = Unattached().Handle(new PartnerHello(Me, Partner, Code));

        Assert.Equal([new ToPartner(new PartnerGone(Partner, Me))], result.Messages());
    }

    [Fact]
    public void A_fresh_incarnation_answers_a_relay_the_same_way_and_stops()
    {
        var result = Unattached().Handle(RelayFrom(Partner, "\"x\""));

        Assert.Equal([new ToPartner(new PartnerGone(Partner, Me)), Stop.Instance], result.Messages());
    }

    [Fact]
    public void A_live_session_says_nothing_to_a_hello()
    {
        Assert.Empty(Waiting().Handle(new PartnerHello(Me, Partner, Code)).Messages());
        Assert.Empty(Paired().Handle(new PartnerHello(Me, Partner, Code)).Messages());
    }

    [Fact]
    public void A_session_whose_partner_is_gone_tells_its_client_and_waits_in_the_room_again()
    {
        var result = Paired().Handle(new PartnerGone(Me, Partner));

        Assert.IsType<Waiting>(result.State.Phase);
        Assert.Contains(new ToClient(PeerLeftNotice.Instance), result.Messages());
        Assert.Contains(new ToRoom(new LeaveRoom(Code, Partner)), result.Messages());
    }

    [Fact]
    public void A_resumable_partner_that_is_gone_is_waited_for_through_its_grace_period()
    {
        var paired = Joining().Handle(new PeerFound(Me, Code, Partner, Initiator: true, FirstJoin, PartnerResumable: true)).State;

        var result = paired.Handle(new PartnerGone(Me, Partner));

        Assert.True(result.State.PartnerAway);
        Assert.IsType<Paired>(result.State.Phase);
        Assert.Empty(result.Messages());
    }

    [Fact]
    public void Word_that_someone_else_is_gone_changes_nothing() =>
        Assert.Empty(Paired().Handle(new PartnerGone(Me, Stranger)).Messages());

    [Fact]
    public void A_paired_session_says_hello_again_asking_for_one_back()
    {
        Assert.Equal([new ToPartner(new PartnerHello(Partner, Me, Code, AskBack: true))], Paired().Handle(HelloAgainElapsed.Instance).Messages());
        Assert.Empty(Waiting().Handle(HelloAgainElapsed.Instance).Messages());
    }

    [Fact]
    public void A_partner_asked_for_a_hello_answers_with_one_and_never_asks_back()
    {
        var result = Paired().Handle(new PartnerHello(Me, Partner, Code, AskBack: true));

        Assert.Equal([new ToPartner(new PartnerHello(Partner, Me, Code))], result.Messages());
        Assert.Empty(Paired().Handle(new PartnerHello(Me, Stranger, Code, AskBack: true)).Messages());
    }
}
