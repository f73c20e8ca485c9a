using SocketPeer.Actors.Rooms;

namespace SocketPeer.Actors.Tests.Infrastructure.Cluster;

/// <summary>
/// Rooms of a <see cref="ClusterWorld"/>, emulating <see cref="RoomActor"/>: it applies
/// <see cref="RoomState"/>, tells sessions through the region, and passivates when empty (what
/// reaches it after that makes the next incarnation).
/// </summary>
internal sealed partial class ClusterWorld
{
    private void ToRoom(IWithPairCode message, Envelope envelope)
    {
        if (!_rooms.TryGetValue(message.Code, out var room))
        {
            room = new RoomEntity(NewRef($"room:{message.Code}", envelope.To), RoomState.Empty(message.Code));
            _rooms[message.Code] = room;
            Note($"    new entity {room.Self}");
        }
        var t = StateInputs.Room(room.State, message);
        room.State = t.State;
        Note($"    room {room.Self} holds [{string.Join(", ", t.State.Members)}]");
        MaxMembers = Math.Max(MaxMembers, t.State.Members.Length);
        DuplicateMember |= t.State.Members.Distinct().Count() != t.State.Members.Length;
        foreach (var n in t.Notifications)
            ToSessionRegion(room.Self, n);
        if (t.State.IsEmpty)
        {
            _rooms.Remove(message.Code); // passivates
            Terminate(room.Self);
        }
    }
}
