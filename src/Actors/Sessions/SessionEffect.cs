namespace SocketPeer.Actors.Sessions;

/// <summary>What a session transition asks its actor to do; the actor only performs it.</summary>
public abstract record SessionEffect
{
    /// <summary>Tell the session's own client (through its connection).</summary>
    public sealed record ToClient(IClientMessage Message) : SessionEffect;

    /// <summary>Tell a room (through the room shard region).</summary>
    public sealed record ToRoom(Rooms.IWithPairCode Message) : SessionEffect;

    /// <summary>Tell another session, usually the partner's (through the session shard region).</summary>
    public sealed record ToPartner(IWithSessionId Message) : SessionEffect;

    /// <summary>
    /// Give the client a fresh resume token vouching for the state the transition ends in. Asked for
    /// within a transition only: <see cref="SessionState.Handle"/> turns each into a numbered
    /// <see cref="TokenNotice"/> (or drops it while no socket serves the client), so none leaves it.
    /// </summary>
    public sealed record SendToken : SessionEffect
    {
        public static readonly SendToken Instance = new();
        private SendToken() { }
    }

    /// <summary>Start <see cref="Timer"/> (replacing a running one of that name); it fires as <see cref="Fires"/>.</summary>
    public sealed record StartTimer(SessionTimer Timer, ISessionInput Fires) : SessionEffect;

    /// <summary>Stop <see cref="Timer"/> if it runs.</summary>
    public sealed record CancelTimer(SessionTimer Timer) : SessionEffect;

    /// <summary>Move a gauge of the node's session metrics by <see cref="By"/> (+1 or -1).</summary>
    public sealed record Gauge(SessionGauge Which, int By) : SessionEffect;

    /// <summary>Count a pair formed: each pair has exactly one initiator, whose session counts it.</summary>
    public sealed record PairFormed : SessionEffect
    {
        public static readonly PairFormed Instance = new();
        private PairFormed() { }
    }

    /// <summary>
    /// Tell the application's backend what happened to a pairing (<see cref="Events.IRoomEvents"/>); the
    /// actor stamps the time and, for an end, the duration.
    /// </summary>
    public sealed record Announce(Events.RoomEvent Event) : SessionEffect;

    /// <summary>The session is over: passivate.</summary>
    public sealed record Stop : SessionEffect
    {
        public static readonly Stop Instance = new();
        private Stop() { }
    }
}

/// <summary>The timers a session runs; how long each runs is <see cref="SessionSettings.Schedule"/>.</summary>
public enum SessionTimer
{
    PeerTimeout,
    JoinRetry,
    HelloAgain,
    Grace,
    PartnerGrace,
    Confirm,
    Replay,
    TokenRefresh,
}

/// <summary>The node's session gauges (<see cref="Diagnostics.SocketPeerMetrics"/>).</summary>
public enum SessionGauge
{
    Waiting,
    Paired,
    Upgraded,
    Away,
}
