using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Sessions;

namespace SocketPeer.Actors.Tests.Rooms;

/// <summary>
/// A full room asks its holders before it answers a newcomer <c>busy</c>: a seat nobody vouches for
/// (its session was lost with its node, or does not hold it) goes to the newcomer, who is in all
/// likelihood that seat's own client reconnecting (docs/failover.md, "Dead seats").
/// </summary>
public sealed class SeatCheckTests
{
    private static readonly PairCode Code = new("room-1");
    private static readonly SessionId A = new("a");
    private static readonly SessionId B = new("b");
    private static readonly SessionId C = new("c");
    private static readonly SessionId D = new("d");

    private static RoomState Paired => RoomState.Empty(Code)
        .Handle(new JoinRoom(Code, A)).State
        .Handle(new JoinRoom(Code, B)).State;

    private static RoomState CheckingFor(SessionId newcomer) => Paired.Handle(new JoinRoom(Code, newcomer)).State;

    [Fact]
    public void A_newcomer_takes_the_seat_its_holder_does_not_vouch_for_and_the_other_member_hears_it()
    {
        var vouched = CheckingFor(C).Handle(new SeatHeld(Code, A)).State;

        var result = vouched.Handle(new SeatVacant(Code, B));

        Assert.Equal(
        [
            new SeatTaken(B, Code),
            new PartnerLeft(A, Code, B),
            new PeerFound(A, Code, C, Initiator: false),
            new PeerFound(C, Code, A, Initiator: true),
        ], result.Notifications);
        Assert.Equal([A, C], result.State.Members.ToArray());
        Assert.Null(result.State.Check);
    }

    [Fact]
    public void Nothing_is_decided_until_every_seat_has_an_answer_so_a_newcomer_is_never_paired_with_a_lost_holder()
    {
        // Both clients of the pair were on the node that died; the first to come back waits alone.
        var oneVacant = CheckingFor(C).Handle(new SeatVacant(Code, A));
        Assert.Empty(oneVacant.Notifications);

        var result = oneVacant.State.Handle(new SeatVacant(Code, B));

        Assert.DoesNotContain(result.Notifications, n => n is PeerFound);
        Assert.Contains(new WaitingForPeer(C, Code), result.Notifications);
        Assert.Equal([C], result.State.Members.ToArray());
    }

    [Fact]
    public void Newcomers_arriving_during_a_check_wait_for_the_same_verdict_and_the_first_takes_the_seat()
    {
        var both = CheckingFor(C).Handle(new JoinRoom(Code, D));
        Assert.Empty(both.Notifications); // no second round of questions

        var result = both.State.Handle(new SeatHeld(Code, A)).State.Handle(new SeatVacant(Code, B));

        Assert.Contains(new PeerFound(C, Code, A, Initiator: true), result.Notifications);
        Assert.DoesNotContain(result.Notifications, n => n.Session == D && n is PeerFound);
        // D now knocks on a full room again: its holders are asked afresh (C has never been asked).
        Assert.Equal([new CheckSeat(A, Code), new CheckSeat(C, Code)], result.Notifications.OfType<CheckSeat>());
    }

    [Fact]
    public void A_check_holds_a_bounded_number_of_newcomers_and_the_rest_hear_busy_at_once()
    {
        var room = CheckingFor(C);
        for (var i = 1; i < SeatCheck.MaxNewcomers; i++)
            room = room.Handle(new JoinRoom(Code, new SessionId($"n{i}"))).State;

        var result = room.Handle(new JoinRoom(Code, D));

        Assert.Equal([new RoomBusy(D, Code)], result.Notifications);
    }

    [Fact]
    public void A_newcomer_that_asks_again_during_the_check_keeps_its_place()
    {
        var again = CheckingFor(C).Handle(new JoinRoom(Code, C));

        Assert.Empty(again.Notifications);
        var result = again.State.Handle(new SeatHeld(Code, A)).State.Handle(new SeatHeld(Code, B));
        Assert.Equal([new RoomBusy(C, Code)], result.Notifications); // answered once
    }

    [Fact]
    public void A_holder_that_leaves_during_the_check_lets_the_newcomer_in_once_the_other_has_answered()
    {
        var left = CheckingFor(C).Handle(new LeaveRoom(Code, B));
        Assert.Equal([new PartnerLeft(A, Code, B)], left.Notifications);

        var result = left.State.Handle(new SeatHeld(Code, A));

        Assert.Equal(
        [
            new PeerFound(A, Code, C, Initiator: false),
            new PeerFound(C, Code, A, Initiator: true),
        ], result.Notifications);
    }

    [Fact]
    public void A_newcomer_is_paired_with_a_lone_member_whose_node_was_removed_only_once_it_answers()
    {
        // Lost with its node, or resumed elsewhere under its old id after a rolling update: ask.
        var waiting = RoomState.Empty(Code).Handle(new JoinRoom(Code, A)).State;

        var asked = waiting.Handle(new JoinRoom(Code, C), [A]);
        Assert.Equal([new CheckSeat(A, Code)], asked.Notifications);

        var result = asked.State.Handle(new SeatHeld(Code, A));
        Assert.Equal(
        [
            new PeerFound(A, Code, C, Initiator: false),
            new PeerFound(C, Code, A, Initiator: true),
        ], result.Notifications);
    }

    [Fact]
    public void A_lone_member_of_a_removed_node_that_holds_nothing_leaves_the_newcomer_waiting_alone()
    {
        var asked = RoomState.Empty(Code).Handle(new JoinRoom(Code, A)).State.Handle(new JoinRoom(Code, C), [A]);

        var result = asked.State.Handle(new SeatVacant(Code, A));

        Assert.Equal([new SeatTaken(A, Code), new WaitingForPeer(C, Code)], result.Notifications);
    }

    [Fact]
    public void A_room_both_holders_leave_during_the_check_is_the_newcomers()
    {
        // Found by the consistency property: the room emptied under the check and the newcomer was
        // never answered (its retries only renewed its place).
        var result = CheckingFor(C).Handle(new LeaveRoom(Code, A)).State.Handle(new LeaveRoom(Code, B));

        Assert.Equal([new WaitingForPeer(C, Code)], result.Notifications);
        Assert.Null(result.State.Check);
    }

    [Fact]
    public void A_newcomer_that_leaves_during_the_check_is_forgotten()
    {
        var left = CheckingFor(C).Handle(new LeaveRoom(Code, C));

        Assert.Null(left.State.Check);
        Assert.DoesNotContain(left.State.Handle(new SeatVacant(Code, B)).Notifications, n => n.Session == C);
    }

    [Fact]
    public void A_holders_join_during_the_check_is_no_answer_to_it()
    {
        // A join retry can be older than its session's end (the LeaveRoom follows it): only the
        // answer to the check tells whether the seat is held now.
        var rejoined = CheckingFor(C).Handle(new JoinRoom(Code, A));
        Assert.Equal([new PeerFound(A, Code, B, Initiator: false)], rejoined.Notifications); // answered, as ever

        var heldB = rejoined.State.Handle(new SeatHeld(Code, B));
        Assert.Empty(heldB.Notifications);
        var result = heldB.State.Handle(new SeatVacant(Code, A));
        Assert.Contains(new PeerFound(C, Code, B, Initiator: true), result.Notifications);
    }

    [Fact]
    public void A_join_during_the_check_does_not_undo_a_vacancy_the_check_found()
    {
        var vacant = CheckingFor(C).Handle(new SeatVacant(Code, A)).State;

        var stale = vacant.Handle(new JoinRoom(Code, A)).State;
        var result = stale.Handle(new SeatHeld(Code, B));

        Assert.Contains(new SeatTaken(A, Code), result.Notifications);
        Assert.Contains(new PeerFound(C, Code, B, Initiator: true), result.Notifications);
    }

    [Fact]
    public void A_seat_found_vacant_outside_a_check_is_taken_by_the_next_newcomer_without_asking()
    {
        // The room actor marks seats on unreachable nodes before it takes a join: a newcomer must not
        // pair with a waiting member whose node died.
        var waiting = RoomState.Empty(Code).Handle(new JoinRoom(Code, A)).State;

        var result = waiting.Handle(new SeatVacant(Code, A)).State.Handle(new JoinRoom(Code, C));

        Assert.Equal([new SeatTaken(A, Code), new WaitingForPeer(C, Code)], result.Notifications);
    }

    [Fact]
    public void A_late_answer_after_the_verdict_changes_nothing()
    {
        var settled = CheckingFor(C).Handle(new SeatVacant(Code, A)).State.Handle(new SeatVacant(Code, B)).State;

        var late = settled.Handle(new SeatHeld(Code, A));

        Assert.Empty(late.Notifications);
        Assert.Equal(settled, late.State);
    }
}
