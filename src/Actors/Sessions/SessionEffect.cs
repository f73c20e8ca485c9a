namespace SocketPeer.Actors.Sessions;

/// <summary>What a session transition asks its actor to do; the actor only delivers.</summary>
public abstract record SessionEffect
{
    /// <summary>Tell the session's own client (through its connection).</summary>
    public sealed record ToClient(IClientMessage Message) : SessionEffect;

    /// <summary>Tell a room (through the room shard region).</summary>
    public sealed record ToRoom(Rooms.IWithPairCode Message) : SessionEffect;

    /// <summary>Tell another session, usually the partner's (through the session shard region).</summary>
    public sealed record ToPartner(IWithSessionId Message) : SessionEffect;

    /// <summary>The session is over: passivate.</summary>
    public sealed record Stop : SessionEffect
    {
        public static readonly Stop Instance = new();
        private Stop() { }
    }
}
