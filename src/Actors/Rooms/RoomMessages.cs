using SocketPeer.Actors.Sessions;

namespace SocketPeer.Actors.Rooms;

/// <summary>A message addressed to the room of one pair code (the shard key).</summary>
public interface IWithPairCode : ISocketPeerMessage
{
    PairCode Code { get; }
}

/// <summary>Session → room: put me in this room.</summary>
public sealed record JoinRoom(PairCode Code, SessionId Session) : IWithPairCode;

/// <summary>Session → room: take me out of this room (idempotent).</summary>
public sealed record LeaveRoom(PairCode Code, SessionId Session) : IWithPairCode;
