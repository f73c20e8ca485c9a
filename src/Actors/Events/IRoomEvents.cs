namespace SocketPeer.Actors.Events;

/// <summary>
/// Where session actors announce pairing events for the application's backend (the gateway's
/// webhook). Called from inside an actor: an implementation must return at once, never block or
/// wait (a bounded queue that drops when full), and never throw.
/// </summary>
public interface IRoomEvents
{
    void Announce(RoomEvent roomEvent);
}

/// <summary>No backend listens (no webhook configured): events go nowhere.</summary>
public sealed class NoRoomEvents : IRoomEvents
{
    public static readonly NoRoomEvents Instance = new();

    private NoRoomEvents() { }

    public void Announce(RoomEvent roomEvent) { }
}
