using Akka.Actor;
using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Sessions;
using static SocketPeer.Actors.Sessions.SessionEffect;
using static SocketPeer.Actors.Sessions.SessionPhase;
using static SocketPeer.Actors.Tests.Sessions.Given;

namespace SocketPeer.Actors.Tests.Sessions;

/// <summary>
/// What a session says when its room checks its seat, what it does when the seat was given away, and
/// how it keeps asking a room that has not answered its join.
/// </summary>
public sealed class SeatAnswerTests
{
    [Theory]
    [InlineData(nameof(Joining))]
    [InlineData(nameof(Waiting))]
    [InlineData(nameof(Paired))]
    public void An_attached_session_in_the_room_vouches_for_its_seat(string phase)
    {
        var result = InPhase(phase).Handle(new CheckSeat(Me, Code));

        Assert.Equal([new ToRoom(new SeatHeld(Code, Me))], result.Messages());
    }

    [Fact]
    public void A_session_in_another_room_or_none_holds_no_seat_here()
    {
        Assert.Equal([new ToRoom(new SeatVacant(Code, Me))], Waiting(OtherCode).Handle(new CheckSeat(Me, Code)).Messages());
        Assert.Equal([new ToRoom(new SeatVacant(Code, Me))], Idle().Handle(new CheckSeat(Me, Code)).Messages());
    }

    [Fact]
    public void An_away_session_holds_no_seat_so_a_newcomer_may_take_it()
    {
        var away = Paired().Handle(new ClientOptIn(Me)).State.Handle(new ConnectionClosed(Me)).State;

        Assert.Equal([new ToRoom(new SeatVacant(Code, Me))], away.Handle(new CheckSeat(Me, Code)).Messages());
    }

    [Fact]
    public void A_fresh_incarnation_made_by_the_question_says_vacant_and_stops()
    {
        // The session was lost with its node; sharding made this one to deliver the check.
        var result = Unattached().Handle(new CheckSeat(Me, Code));

        Assert.Equal([new ToRoom(new SeatVacant(Code, Me)), Stop.Instance], result.Messages());
    }

    [Fact]
    public void An_attached_session_whose_seat_was_taken_tells_its_client_peer_left_then_busy()
    {
        // It did not vouch in time (its node was unreachable for a while): the original client closes
        // on busy and pairs again after its back-off, as for any full room.
        var result = Paired().Handle(new SeatTaken(Me, Code));

        Assert.IsType<Idle>(result.State.Phase);
        Assert.Equal([new ToClient(PeerLeftNotice.Instance), new ToClient(BusyNotice.Instance)], result.Messages());
    }

    [Fact]
    public void An_unanswered_join_is_sent_again_with_the_same_attempt()
    {
        var joining = Joining();

        var result = joining.Handle(JoinRetryElapsed.Instance);

        Assert.Same(joining, result.State);
        Assert.Equal([new ToRoom(new JoinRoom(Code, Me, FirstJoin))], result.Messages());
    }

    [Fact]
    public void A_successor_asks_again_for_its_predecessors_seat()
    {
        var claims = new ResumeClaims(Stranger, ResumeState.Waiting, Code, null, false, Generation: 1);
        var successor = Idle().Handle(new ResumeConnection(Me, ActorRefs.Nobody, claims, 0)).State;

        var result = successor.Handle(JoinRetryElapsed.Instance);

        Assert.Equal([new ToRoom(new JoinRoom(Code, Me, FirstJoin, Resumable: true, Replaces: Stranger))], result.Messages());
    }

    [Theory]
    [InlineData(nameof(Idle))]
    [InlineData(nameof(Waiting))]
    [InlineData(nameof(Paired))]
    public void An_answered_join_is_not_sent_again(string phase) =>
        Assert.Empty(InPhase(phase).Handle(JoinRetryElapsed.Instance).Messages());

    [Fact]
    public void A_rejoin_of_a_lost_room_is_sent_again_until_the_rebuilt_room_answers()
    {
        // The join can reach the dead node's region before that region hears of the loss, and vanish.
        var rejoining = Paired().Handle(new RoomLost(Code)).State;
        var again = new ToRoom(new JoinRoom(Code, Me, FirstJoin, Partner: Partner));

        Assert.Equal([again], rejoining.Handle(JoinRetryElapsed.Instance).Messages());

        var answered = rejoining.Handle(new PeerFound(Me, Code, Partner, Initiator: false, FirstJoin)).State;
        Assert.False(answered.Rejoining);
        Assert.Empty(answered.Handle(JoinRetryElapsed.Instance).Messages());
    }

    [Fact]
    public void A_partner_given_up_on_while_the_room_was_lost_leaves_us_rejoining_as_a_waiting_member()
    {
        // Both the room and the partner were on the node that died; their losses arrive in either order.
        var waiting = Paired().Handle(new RoomLost(Code)).State.WatchedPartnerLost(Partner).State;

        Assert.IsType<Waiting>(waiting.Phase);
        Assert.Equal([new ToRoom(new JoinRoom(Code, Me, FirstJoin))], waiting.Handle(JoinRetryElapsed.Instance).Messages());
        Assert.False(waiting.Handle(new WaitingForPeer(Me, Code, FirstJoin)).State.Rejoining);
    }

    [Fact]
    public void Leaving_the_room_ends_a_rejoin()
    {
        var left = Waiting().Handle(new RoomLost(Code)).State.Handle(new ClientLeave(Me)).State;

        Assert.False(left.Rejoining);
        Assert.Empty(left.Handle(JoinRetryElapsed.Instance).Messages());
    }
}
