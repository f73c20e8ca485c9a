using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Sessions;

namespace SocketPeer.Actors.Tests.Rooms;

public sealed class RoomStateTests
{
    private static readonly PairCode Code = new("room-1");
    private static readonly SessionId A = new("a");
    private static readonly SessionId B = new("b");
    private static readonly SessionId C = new("c");

    private static RoomState Empty => RoomState.Empty(Code);

    private static RoomState With(params SessionId[] members) =>
        members.Aggregate(Empty, (room, member) => room.Handle(new JoinRoom(Code, member)).State);

    private static void AssertMembers(RoomState room, params SessionId[] expected) =>
        Assert.Equal(expected, room.Members.ToArray());

    [Fact]
    public void First_join_waits()
    {
        var result = Empty.Handle(new JoinRoom(Code, A));

        AssertMembers(result.State, A);
        Assert.Equal([new WaitingForPeer(A, Code)], result.Notifications);
    }

    [Fact]
    public void Second_join_pairs_telling_the_waiting_member_first_and_the_newcomer_initiates()
    {
        var room = With(A);

        var result = room.Handle(new JoinRoom(Code, B));

        AssertMembers(result.State, A, B);
        Assert.Equal(
        [
            new PeerFound(A, Code, B, Initiator: false),
            new PeerFound(B, Code, A, Initiator: true),
        ], result.Notifications);
    }

    [Fact]
    public void Third_peer_on_a_full_room_gets_busy_once_both_holders_vouch_for_their_seats()
    {
        var room = With(A, B);

        var asked = room.Handle(new JoinRoom(Code, C));
        Assert.Equal([new CheckSeat(A, Code), new CheckSeat(B, Code)], asked.Notifications);
        AssertMembers(asked.State, A, B);

        var first = asked.State.Handle(new SeatHeld(Code, B));
        Assert.Empty(first.Notifications);
        var result = first.State.Handle(new SeatHeld(Code, A));

        Assert.Equal([new RoomBusy(C, Code)], result.Notifications);
        Assert.Equal(room, result.State);
    }

    [Fact]
    public void Repeated_join_of_the_waiting_member_is_idempotent_and_never_pairs_it_with_itself()
    {
        var room = With(A);

        var result = room.Handle(new JoinRoom(Code, A));

        AssertMembers(result.State, A);
        Assert.Equal([new WaitingForPeer(A, Code)], result.Notifications);
    }

    [Theory]
    [InlineData("a", "b", false)]
    [InlineData("b", "a", true)]
    public void Repeated_join_of_a_paired_member_repeats_its_pairing_and_changes_nothing(
        string member, string partner, bool initiator)
    {
        var room = With(A, B);

        var result = room.Handle(new JoinRoom(Code, new SessionId(member)));

        AssertMembers(result.State, A, B);
        Assert.Equal([new PeerFound(new SessionId(member), Code, new SessionId(partner), initiator)], result.Notifications);
    }

    [Theory]
    [InlineData("a", "b")]
    [InlineData("b", "a")]
    public void Leave_of_a_paired_member_tells_the_other_and_leaves_it_waiting(string leaving, string staying)
    {
        var room = With(A, B);

        var result = room.Handle(new LeaveRoom(Code, new SessionId(leaving)));

        AssertMembers(result.State, new SessionId(staying));
        Assert.Equal([new PartnerLeft(new SessionId(staying), Code, new SessionId(leaving))], result.Notifications);
    }

    [Fact]
    public void Newcomer_pairs_with_the_survivor_of_a_pair()
    {
        var room = With(A, B).Handle(new LeaveRoom(Code, A)).State;

        var result = room.Handle(new JoinRoom(Code, C));

        AssertMembers(result.State, B, C);
        Assert.Equal(
        [
            new PeerFound(B, Code, C, Initiator: false),
            new PeerFound(C, Code, B, Initiator: true),
        ], result.Notifications);
    }

    [Fact]
    public void Leave_of_an_empty_room_is_a_no_op()
    {
        var result = Empty.Handle(new LeaveRoom(Code, A));

        Assert.True(result.State.IsEmpty);
        Assert.Empty(result.Notifications);
    }

    [Fact]
    public void Leave_of_a_non_member_is_a_no_op()
    {
        var room = With(A, B);

        var result = room.Handle(new LeaveRoom(Code, C));

        Assert.Same(room, result.State);
        Assert.Empty(result.Notifications);
    }

    [Fact]
    public void Leave_of_the_last_member_empties_the_room_silently()
    {
        var result = With(A).Handle(new LeaveRoom(Code, A));

        Assert.True(result.State.IsEmpty);
        Assert.Empty(result.Notifications);
    }

    [Fact]
    public void Room_is_empty_after_both_members_leave()
    {
        var room = With(A, B);

        var afterA = room.Handle(new LeaveRoom(Code, A)).State;
        var afterB = afterA.Handle(new LeaveRoom(Code, B)).State;

        Assert.False(afterA.IsEmpty);
        Assert.True(afterB.IsEmpty);
    }

    [Fact]
    public void A_newcomer_takes_the_seat_of_an_away_member_and_pairs_with_the_other()
    {
        var room = With(A, B).Handle(new MemberAway(Code, A)).State;

        var result = room.Handle(new JoinRoom(Code, C));

        AssertMembers(result.State, B, C);
        Assert.Equal(
        [
            new SeatTaken(A, Code),
            new PartnerLeft(B, Code, A),
            new PeerFound(B, Code, C, Initiator: false),
            new PeerFound(C, Code, B, Initiator: true),
        ], result.Notifications);
    }

    [Fact]
    public void A_newcomer_takes_the_seat_of_an_away_member_waiting_alone()
    {
        var room = With(A).Handle(new MemberAway(Code, A)).State;

        var result = room.Handle(new JoinRoom(Code, C));

        AssertMembers(result.State, C);
        Assert.Equal([new SeatTaken(A, Code), new WaitingForPeer(C, Code)], result.Notifications);
    }

    [Fact]
    public void A_member_back_from_away_keeps_its_seat_and_a_third_is_busy()
    {
        var room = With(A, B).Handle(new MemberAway(Code, A)).State.Handle(new MemberBack(Code, A)).State;

        var result = Vouched(room.Handle(new JoinRoom(Code, C)), A, B);

        AssertMembers(result.State, A, B);
        Assert.Equal([new RoomBusy(C, Code)], result.Notifications);
    }

    /// <summary>The holders answer a seat check, in this order; returns the last answer's transition.</summary>
    private static RoomTransition Vouched(RoomTransition asked, params SessionId[] holders) =>
        holders.Aggregate(asked, (t, holder) => t.State.Handle(new SeatHeld(Code, holder)));

    [Fact]
    public void A_paired_member_joining_again_does_not_take_its_away_partners_seat()
    {
        // The room was rebuilt; the partner's stale incarnation marked its seat away before the
        // surviving member re-joined. The pair must come back, not be split.
        var room = RoomState.Empty(Code).Handle(new JoinRoom(Code, A, 3)).State.Handle(new MemberAway(Code, A)).State;

        var result = room.Handle(new JoinRoom(Code, B, 5, Partner: A));

        AssertMembers(result.State, A, B);
        Assert.Equal(
        [
            new PeerFound(A, Code, B, Initiator: false, 3, PartnerAttempt: 5),
            new PeerFound(B, Code, A, Initiator: true, 5, PartnerAttempt: 3),
        ], result.Notifications);
    }

    [Fact]
    public void A_successor_takes_its_predecessors_seat_in_place_and_only_it_is_answered()
    {
        var room = With(A, B);

        var result = room.Handle(new JoinRoom(Code, C, 2, Partner: B, Replaces: A));

        AssertMembers(result.State, C, B);
        Assert.Equal([new PeerFound(C, Code, B, Initiator: false, 2)], result.Notifications);
    }

    /// <summary>
    /// Seen in a chaos run: the room was lost while a successor took over; the successor joined the
    /// rebuilt room first, then the predecessor (alive, away) joined again as a lost room's member
    /// does, and was paired with its own successor: the client heard peer.left twice.
    /// </summary>
    [Fact]
    public void A_predecessor_joining_a_rebuilt_room_after_its_successor_is_told_its_seat_is_taken()
    {
        var room = Empty.Handle(new JoinRoom(Code, C, 2, Partner: B, Replaces: A)).State;

        var result = room.Handle(new JoinRoom(Code, A, 1, Partner: B));

        AssertMembers(result.State, C);
        Assert.Equal([new SeatTaken(A, Code)], result.Notifications);
        var partner = result.State.Handle(new JoinRoom(Code, B, 1, Partner: C));
        AssertMembers(partner.State, C, B);
    }

    [Fact]
    public void A_predecessor_joining_again_after_being_succeeded_in_place_is_told_its_seat_is_taken()
    {
        var room = With(A, B).Handle(new JoinRoom(Code, C, 2, Partner: B, Replaces: A)).State;

        var result = room.Handle(new JoinRoom(Code, A, 1, Partner: B));

        AssertMembers(result.State, C, B);
        Assert.Equal([new SeatTaken(A, Code)], result.Notifications);
    }

    [Fact]
    public void A_successor_joining_again_without_naming_its_predecessor_still_holds_the_seat_against_it()
    {
        var room = Empty.Handle(new JoinRoom(Code, C, 2, Partner: B, Replaces: A)).State
            .Handle(new JoinRoom(Code, C, 2, Partner: B)).State;

        Assert.Equal([new SeatTaken(A, Code)], room.Handle(new JoinRoom(Code, A, 1)).Notifications);
    }

    /// <summary>
    /// Seen in a chaos run under load: the room was lost during a succession (C succeeds A, B is A's
    /// partner). The predecessor A joined the rebuilt room first, naming B; then B, naming its partner
    /// C. The room paired B with A: B's client heard peer.left and was paired with a session about to
    /// end, and the pair relayed nothing until the resume failed.
    /// </summary>
    [Fact]
    public void Two_rejoining_members_that_name_other_partners_are_not_paired_and_the_successor_completes_the_pair()
    {
        var predecessorFirst = Empty.Handle(new JoinRoom(Code, A, 1, Partner: B)).State;

        var partner = predecessorFirst.Handle(new JoinRoom(Code, B, 1, Partner: C));

        AssertMembers(partner.State, A, B);
        Assert.Empty(partner.Notifications);
        var successor = partner.State.Handle(new JoinRoom(Code, C, 2, Partner: B, Replaces: A));
        AssertMembers(successor.State, C, B);
        Assert.Equal([new PeerFound(C, Code, B, Initiator: false, 2, PartnerAttempt: 1)], successor.Notifications);
    }

    [Fact]
    public void A_rejoining_member_is_not_paired_with_a_predecessor_that_joins_after_it()
    {
        var partnerFirst = Empty.Handle(new JoinRoom(Code, B, 1, Partner: C)).State;

        var predecessor = partnerFirst.Handle(new JoinRoom(Code, A, 1, Partner: B));

        AssertMembers(predecessor.State, B, A);
        Assert.Empty(predecessor.Notifications);
        var successor = predecessor.State.Handle(new JoinRoom(Code, C, 2, Partner: B, Replaces: A));
        Assert.Equal([new PeerFound(C, Code, B, Initiator: true, 2, PartnerAttempt: 1)], successor.Notifications);
    }

    [Fact]
    public void Two_rejoining_members_that_name_each_other_are_paired_again()
    {
        var room = Empty.Handle(new JoinRoom(Code, A, 1, Partner: B)).State;

        var result = room.Handle(new JoinRoom(Code, B, 1, Partner: A));

        Assert.Equal(
        [
            new PeerFound(A, Code, B, Initiator: false, 1, PartnerAttempt: 1),
            new PeerFound(B, Code, A, Initiator: true, 1, PartnerAttempt: 1),
        ], result.Notifications);
    }

    [Fact]
    public void Two_unannounced_members_are_paired_once_one_gives_up_on_the_partner_it_named()
    {
        // A named B, which had ended; C (which took B's seat before the room was lost) names A. When
        // A's session learns B is gone, its LeaveRoom for B reaches this room, where B holds no seat.
        var apart = Empty.Handle(new JoinRoom(Code, A, 1, Partner: B)).State.Handle(new JoinRoom(Code, C, 3, Partner: A)).State;

        var result = apart.Handle(new LeaveRoom(Code, B));

        Assert.Equal(
        [
            new PeerFound(A, Code, C, Initiator: false, 1, PartnerAttempt: 3),
            new PeerFound(C, Code, A, Initiator: true, 3, PartnerAttempt: 1),
        ], result.Notifications);
        AssertMembers(result.State, A, C);
    }

    [Fact]
    public void Giving_up_on_a_named_partner_in_a_paired_room_announces_nothing_again()
    {
        var paired = Empty.Handle(new JoinRoom(Code, A, 1, Partner: B)).State.Handle(new JoinRoom(Code, C, 1)).State;

        Assert.Empty(paired.Handle(new LeaveRoom(Code, B)).Notifications);
    }

    [Fact]
    public void A_rejoining_member_whose_partner_left_pairs_with_a_newcomer()
    {
        var room = Empty.Handle(new JoinRoom(Code, A, 1, Partner: B)).State.Handle(new JoinRoom(Code, B, 1, Partner: A)).State
            .Handle(new LeaveRoom(Code, B)).State;

        var result = room.Handle(new JoinRoom(Code, C, 1, Partner: new SessionId("d")));

        AssertMembers(result.State, A, C);
        Assert.Equal(2, result.Notifications.Count(n => n is PeerFound));
    }
}
