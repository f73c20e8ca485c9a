using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Sessions;
using static SocketPeer.Actors.Sessions.SessionEffect;
using static SocketPeer.Actors.Sessions.SessionPhase;
using static SocketPeer.Actors.Tests.Sessions.Given;

namespace SocketPeer.Actors.Tests.Sessions;

/// <summary>
/// A session whose room was lost with its node joins the rebuilt room again with the same attempt
/// (a paired one naming its partner, so the partner's seat is not given away), a rebuilt room that
/// answers as before changes nothing, and the loss of a room that is not the session's is ignored.
/// </summary>
public sealed class RoomLostTests
{
    [Theory]
    [InlineData(nameof(Waiting))]
    [InlineData(nameof(Paired))]
    public void A_lost_room_is_joined_again_with_the_same_attempt(string phase)
    {
        var result = InPhase(phase).Handle(new RoomLost(Code));

        // A paired member names its partner, so the rebuilt room never gives the partner's seat away.
        var partner = phase == "Paired" ? Partner : (SessionId?)null;
        Assert.Equal([new ToRoom(new JoinRoom(Code, Me, FirstJoin, Partner: partner))], result.Messages());
    }

    /// <summary>
    /// On a stopping node the room stopped with the hand-off, and the session stops with it: its
    /// client resumes elsewhere, and the session there joins. A join from here has nowhere to go.
    /// </summary>
    [Theory]
    [InlineData(nameof(Waiting))]
    [InlineData(nameof(Paired))]
    public void A_room_lost_on_a_stopping_node_is_not_joined_again(string phase)
    {
        var session = InPhase(phase);

        var result = session.Handle(new RoomLost(Code, OnStoppingNode: true));

        Assert.Same(session, result.State);
        Assert.Empty(result.Messages());
    }

    [Fact]
    public void A_rebuilt_room_answering_as_before_changes_nothing()
    {
        var paired = Paired();

        var again = paired.Handle(new PeerFound(Me, Code, Partner, Initiator: false, FirstJoin));

        Assert.Same(paired, again.State);
        Assert.Empty(again.Messages()); // no second peer.found
    }

    [Fact]
    public void A_lost_room_of_another_code_is_none_of_our_business()
    {
        Assert.Empty(Paired().Handle(new RoomLost(OtherCode)).Messages());
        Assert.Empty(Idle().Handle(new RoomLost(Code)).Messages());
    }
}
