using Akka.Actor;
using SocketPeer.Actors.Events;
using SocketPeer.Actors.Sessions;
using static SocketPeer.Actors.Sessions.SessionEffect;
using static SocketPeer.Actors.Tests.Sessions.Given;
using static SocketPeer.Actors.Tests.Sessions.ResumeScenario;

namespace SocketPeer.Actors.Tests.Sessions;

/// <summary>
/// Room events for the application's backend (docs/webhooks.md), as the session state machine decides
/// them: one <c>pair.formed</c> per pair (its initiator's), an end from each side under one id with
/// the reason that side saw, a resume when the client hears <c>resumed</c>, a lost partner once, and
/// nothing on the relay path or when an entity merely stops.
/// </summary>
public sealed class RoomEventTests
{
    private static readonly PairingId Pairing = PairingId.Of(Code, Me, Partner);

    private static List<RoomEvent> Events(SessionTransition t) => [.. t.Effects.OfType<Announce>().Select(a => a.Event)];

    [Fact]
    public void A_pairing_has_one_id_whichever_side_names_it()
    {
        Assert.Equal(PairingId.Of(Code, Partner, Me), Pairing);
        Assert.NotEqual(PairingId.Of(OtherCode, Me, Partner), Pairing);
        Assert.NotEqual(PairingId.Of(Code, Me, Stranger), Pairing);
        Assert.Matches("^[0-9a-f]{32}$", Pairing.Value);
    }

    [Fact]
    public void The_initiator_announces_the_pair_formed_and_its_partner_does_not()
    {
        var initiator = Joining().Handle(new PeerFound(Me, Code, Partner, Initiator: true, FirstJoin));
        var other = Waiting().Handle(new PeerFound(Me, Code, Partner, Initiator: false, FirstJoin));

        var formed = Assert.Single(Events(initiator));
        Assert.Equal(new RoomEvent(RoomEventKind.PairFormed, RoomEventIds.Formed(Pairing), Pairing, Code, Me, Partner), formed);
        Assert.Empty(Events(other));
    }

    [Fact]
    public void A_room_repeating_itself_announces_nothing()
    {
        var again = Paired().Handle(new PeerFound(Me, Code, Partner, Initiator: true, FirstJoin));

        Assert.Empty(Events(again));
    }

    [Fact]
    public void Relays_and_acks_announce_nothing()
    {
        var paired = ResumablePaired();

        Assert.Empty(Events(Send(paired, "1")));
        Assert.Empty(Events(paired.Handle(Relay(1))));
        Assert.Empty(Events(paired.Handle(Relay(1)).State.Handle(new ClientAck(Me, 1))));
        Assert.Empty(Events(Paired().Handle(new ClientRtcStatus(Me, RtcPath.Upgraded))));
    }

    [Fact]
    public void Both_sides_announce_the_end_under_one_id_each_with_what_it_saw()
    {
        var leaving = Paired().Handle(new ClientLeave(Me));
        var left = Waiting().Handle(new PeerFound(Me, Code, Partner, Initiator: false, FirstJoin)).State
            .Handle(new PartnerLeft(Me, Code, Partner, FirstJoin));

        var mine = Assert.Single(Events(leaving));
        var theirs = Assert.Single(Events(left));
        Assert.Equal((RoomEventKind.PairEnded, RoomEventIds.Ended(Pairing), PairEndReason.Left), (mine.Kind, mine.Id, mine.Reason));
        Assert.Equal((RoomEventKind.PairEnded, RoomEventIds.Ended(Pairing), PairEndReason.PartnerLeft), (theirs.Kind, theirs.Id, theirs.Reason));
        Assert.Null(mine.Duration); // the actor times it
    }

    [Fact]
    public void A_socket_closing_without_resume_ends_the_pairing_as_closed()
    {
        var closed = Paired().Handle(new ConnectionClosed(Me));

        Assert.Equal(PairEndReason.Closed, Assert.Single(Events(closed)).Reason);
    }

    private static SessionTransition PartnerNodeLost(SessionState s) =>
        s.Handle(new PartnerWatched(Partner)).State.Handle(PartnerLost.OnLostNode);

    [Fact]
    public void A_resumable_partner_lost_with_its_node_is_announced_once_then_its_end_when_it_does_not_return()
    {
        var lost = PartnerNodeLost(ResumablePaired());
        var expired = lost.State.Handle(new PartnerGraceElapsed(Partner));

        var loss = Assert.Single(Events(lost));
        Assert.Equal((RoomEventKind.PartnerLost, Partner, Pairing), (loss.Kind, loss.Partner, loss.Pairing));
        Assert.Empty(Events(lost.State.Handle(new PartnerGone(Me, Partner))));
        var ended = Assert.Single(Events(expired));
        Assert.Equal((RoomEventKind.PairEnded, PairEndReason.PartnerDidNotReturn), (ended.Kind, ended.Reason));
    }

    [Fact]
    public void A_partner_lost_with_its_node_that_does_not_resume_ends_the_pairing_at_once()
    {
        var ended = Assert.Single(Events(PartnerNodeLost(Paired())));

        Assert.Equal((RoomEventKind.PairEnded, PairEndReason.PartnerLost), (ended.Kind, ended.Reason));
    }

    [Fact]
    public void A_partner_entity_that_stopped_on_a_live_node_is_no_node_loss()
    {
        // It ended, and the room's word is on its way (or it was handed off, and resumes elsewhere).
        var ended = Assert.Single(Events(Paired().WatchedPartnerLost(Partner)));

        Assert.Equal(PairEndReason.PartnerLeft, ended.Reason);
        Assert.Empty(Events(ResumablePaired().WatchedPartnerLost(Partner)));
    }

    [Fact]
    public void An_entity_that_stops_takes_its_pairing_along_unannounced()
    {
        Assert.Empty(Events(ResumablePaired().Handle(EntityStopped.Instance)));
    }

    [Fact]
    public void A_client_taking_its_paired_session_back_is_announced_once_per_resume()
    {
        var away = ResumablePaired().Handle(new ConnectionClosed(Me)).State;
        var back = away.Handle(new ResumeConnection(Me, ActorRefs.Nobody, Claims(ResumeState.Paired), 0));
        var againAway = back.State.Handle(new ConnectionClosed(Me)).State;
        var backAgain = againAway.Handle(new ResumeConnection(Me, ActorRefs.Nobody, againAway.ClaimsOf(againAway.TokensIssued), 0));

        Assert.Empty(Events(away.Handle(new ConnectionClosed(Me))));
        var resumed = Assert.Single(Events(back));
        Assert.Equal((RoomEventKind.PairResumed, Pairing, false), (resumed.Kind, resumed.Pairing, resumed.Rebuilt));
        Assert.NotEqual(resumed.Id, Assert.Single(Events(backAgain)).Id);
    }

    [Fact]
    public void A_successor_keeps_the_pairing_id_of_the_session_it_took_over_and_announces_a_rebuilt_resume()
    {
        var successor = Idle().Handle(new ResumeConnection(Me, ActorRefs.Nobody, ClaimsOf(Predecessor, ResumeState.Paired), 7));
        var confirmed = successor.State.Handle(new PartnerResumeAnswer(Me, Partner, ResumeVerdict.Accepted, Received: 3));
        var partnerSide = SessionState.New(Partner).Handle(new AttachConnection(Partner, ActorRefs.Nobody)).State
            .Handle(new ClientPair(Partner, Code)).State
            .Handle(new PeerFound(Partner, Code, Predecessor, Initiator: false, FirstJoin, PartnerResumable: true)).State;
        var repointed = partnerSide.Handle(new PartnerResumed(Partner, Me, Code, 0, Replaces: Predecessor));

        Assert.Empty(Events(successor));
        var resumed = Assert.Single(Events(confirmed));
        Assert.Equal((PairingId.Of(Code, Predecessor, Partner), true), (resumed.Pairing, resumed.Rebuilt));
        Assert.Empty(Events(repointed)); // the same pairing, with the successor in it
        Assert.Equal(resumed.Pairing, repointed.State.PairingOf((SessionPhase.Paired)repointed.State.Phase));
    }
}
