using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Sessions;

namespace SocketPeer.Actors.Tests.Infrastructure;

/// <summary>
/// Feeds a message to the pure state it is for, as the actors' receive switches do. Shared by the
/// in-memory worlds so they cannot disagree about which message goes to which handler.
/// </summary>
internal static class StateInputs
{
    /// <summary>A message from a client, a room or a partner, into a session's state machine.</summary>
    public static SessionTransition Session(SessionState s, IWithSessionId message) => s.Handle(message);

    /// <summary>A message from a session into a room's state machine.</summary>
    public static RoomTransition Room(RoomState room, IWithPairCode message) => message switch
    {
        JoinRoom m => room.Handle(m),
        LeaveRoom m => room.Handle(m),
        MemberAway m => room.Handle(m),
        MemberBack m => room.Handle(m),
        SeatHeld m => room.Handle(m),
        SeatVacant m => room.Handle(m),
        _ => throw new InvalidOperationException($"a room does not take {message}"),
    };
}
