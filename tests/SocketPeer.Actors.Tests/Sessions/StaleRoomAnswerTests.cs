using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Sessions;
using SocketPeer.Actors.Tests.Infrastructure;

namespace SocketPeer.Actors.Tests.Sessions;

/// <summary>
/// A session that joins a room, leaves it and joins it again has three requests on the way to one
/// room, and the room answers each one. The answers to the first join must not be taken for the
/// answer to the second: the room may have filled up, or emptied, in between. Played on a
/// <see cref="World"/> with the session's channel to the room held back to force the order.
/// </summary>
public sealed class StaleRoomAnswerTests
{
    private const int A = 0, B = 1, C = 2;
    private static readonly PairCode X = new("x");
    private static readonly PairCode Y = new("y");

    [Fact]
    public void Pair_leave_pair_on_a_room_that_filled_up_meanwhile_ends_busy_not_waiting()
    {
        var world = new World(3);
        world.Hold(B, X);
        world.Pair(B, X); world.Leave(B); world.Pair(B, X);
        world.Settle();
        world.DeliverToRoom(B, X); // first join: B waits alone
        world.DeliverToRoom(B, X); // leave: the room is empty

        world.Pair(A, X); world.Pair(C, X);
        world.Settle(); // A and C pair; B hears the answer to its first join
        world.Release(B, X);
        world.Settle(); // second join: busy

        Assert.Equal(BusyNotice.Instance, world.Received(B)[^1]);
        Assert.IsType<SessionPhase.Idle>(world.Sessions[world.SessionOf(B)].Phase);
    }

    [Fact]
    public void Pair_leave_pair_on_a_room_that_filled_up_meanwhile_ends_busy_not_paired()
    {
        var world = new World(3);
        world.Pair(A, X);
        world.Settle(); // A waits
        world.Hold(B, X);
        world.Pair(B, X); world.Leave(B); world.Pair(B, X);
        world.Settle();
        world.DeliverToRoom(B, X); // first join: A and B pair
        world.DeliverToRoom(B, X); // leave: A waits again

        world.Pair(C, X);
        world.Settle(); // A and C pair; B hears the answer to its first join
        world.Release(B, X);
        world.Settle(); // second join: busy

        Assert.Equal(BusyNotice.Instance, world.Received(B)[^1]);
        Assert.IsNotType<SessionPhase.Paired>(world.Sessions[world.SessionOf(B)].Phase);
    }

    [Fact]
    public void Busy_answer_to_an_abandoned_join_does_not_leave_a_ghost_in_the_room()
    {
        var world = new World(3);
        world.Pair(A, X); world.Pair(C, X);
        world.Settle(); // A and C pair
        world.Hold(B, X);
        world.Pair(B, X); world.Pair(B, Y); world.Pair(B, X);
        world.Settle();
        world.DeliverToRoom(B, X); // first join: busy
        world.DeliverToRoom(B, X); // leave: not a member, nothing happens

        world.Leave(A);
        world.Settle(); // C waits; B hears busy, the answer to its first join
        world.Release(B, X);
        world.Settle(); // second join: C and B pair
        world.Close(B); // the original client closes its socket on busy
        world.Settle();

        Assert.Equal(PeerLeftNotice.Instance, world.Received(C)[^1]);
        Assert.Equal([world.SessionOf(C)], world.Rooms[X].Members.ToArray());
    }
}
