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
    public static SessionTransition Session(SessionState s, IWithSessionId message) => message switch
    {
        AttachConnection m => s.Handle(m),
        ClientPair m => s.Handle(m),
        ClientLeave m => s.Handle(m),
        ClientRelay m => s.Handle(m),
        ClientOptIn m => s.Handle(m),
        ClientAck m => s.Handle(m),
        ConnectionClosed m => s.Handle(m),
        WaitingForPeer m => s.Handle(m),
        PeerFound m => s.Handle(m),
        RoomBusy m => s.Handle(m),
        PartnerLeft m => s.Handle(m),
        PartnerRelay m => s.Handle(m),
        PartnerAck m => s.Handle(m),
        PartnerGaveUp m => s.Handle(m),
        PartnerResumed m => s.Handle(m),
        PartnerResumeAnswer m => s.Handle(m),
        SeatTaken m => s.Handle(m),
        CheckSeat m => s.Handle(m),
        PartnerGone m => s.Handle(m),
        PartnerHello m => s.Handle(m), // the actor also watches the sender
        _ => throw new InvalidOperationException($"a session does not take {message}"),
    };

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
