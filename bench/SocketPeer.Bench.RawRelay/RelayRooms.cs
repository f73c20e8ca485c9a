namespace SocketPeer.Bench.RawRelay;

/// <summary>
/// Pair codes to the one or two connections in them, under one lock: pairing is rare next to relay,
/// and relay never touches this (each connection holds its partner directly).
/// </summary>
public sealed class RelayRooms
{
    private readonly Dictionary<string, Room> _rooms = new(StringComparer.Ordinal);

    /// <summary>Puts <paramref name="who"/> in <paramref name="code"/>; returns the partner it paired with, if any.</summary>
    public JoinOutcome Join(string code, RelayConnection who, out RelayConnection? partner)
    {
        partner = null;
        lock (_rooms)
        {
            if (!_rooms.TryGetValue(code, out var room))
            {
                _rooms[code] = new Room { First = who };
                return JoinOutcome.Waiting;
            }
            if (room.First == who || room.Second == who) return JoinOutcome.Already;
            if (room.Second is not null) return JoinOutcome.Busy;
            room.Second = who;
            partner = room.First;
            return JoinOutcome.Paired;
        }
    }

    /// <summary>Takes <paramref name="who"/> out of <paramref name="code"/>; returns who stays, if anyone.</summary>
    public RelayConnection? Leave(string code, RelayConnection who)
    {
        lock (_rooms)
        {
            if (!_rooms.TryGetValue(code, out var room)) return null;
            var stays = room.First == who ? room.Second : room.Second == who ? room.First : null;
            if (room.First != who && room.Second != who) return null;
            if (stays is null) _rooms.Remove(code);
            else
            {
                room.First = stays;
                room.Second = null;
            }
            return stays;
        }
    }

    private sealed class Room
    {
        public RelayConnection? First;
        public RelayConnection? Second;
    }
}

public enum JoinOutcome { Waiting, Paired, Busy, Already }
