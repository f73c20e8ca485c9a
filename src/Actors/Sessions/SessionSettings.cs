namespace SocketPeer.Actors.Sessions;

/// <summary>What a session needs to know from the host's options, and how long its timers run.</summary>
public sealed record SessionSettings(TimeSpan PeerTimeout, ResumeSettings? ResumeOptions = null)
{
    /// <summary>The default peer timeout (<c>SocketPeer:PeerTimeout</c>).</summary>
    public static readonly TimeSpan DefaultPeerTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How often an unanswered join is sent again. A live room answers in milliseconds, or holds the
    /// join for its seat check (<see cref="Rooms.RoomActor.SeatCheckDeadline"/>, where a repeat changes
    /// nothing); a join lost with a dead room reaches the rebuilt one at most this long after the
    /// dead node's removal.
    /// </summary>
    public static readonly TimeSpan JoinRetry = TimeSpan.FromMilliseconds(500);

    /// <summary>How often a paired session that watches no partner yet says hello again.</summary>
    public static readonly TimeSpan HelloAgainEvery = TimeSpan.FromSeconds(1);

    /// <summary>How long an entity made by a stray message waits for a connection before stopping.</summary>
    public static readonly TimeSpan UnattachedLifetime = TimeSpan.FromSeconds(30);

    public ResumeSettings Resume { get; } = ResumeOptions ?? ResumeSettings.Default();

    /// <summary>How long <paramref name="timer"/> runs, and whether it fires again every as long.</summary>
    public (TimeSpan After, bool Periodic) Schedule(SessionTimer timer) => timer switch
    {
        SessionTimer.PeerTimeout => (PeerTimeout, false),
        SessionTimer.JoinRetry => (JoinRetry, true),
        SessionTimer.HelloAgain => (HelloAgainEvery, true),
        SessionTimer.TokenRefresh => (Resume.TokenLifetime / 2, true),
        SessionTimer.Grace or SessionTimer.PartnerGrace or SessionTimer.Confirm or SessionTimer.Replay => (Resume.Grace, false),
        _ => throw new ArgumentOutOfRangeException(nameof(timer), timer, null),
    };
}

/// <summary>How sessions outlive their sockets (docs/protocol.md, Resume).</summary>
/// <param name="TokenLifetime">How long a resume token is valid: the client gets a fresh one every half of it (the gateway signs and checks them).</param>
/// <param name="Grace">How long an absent client's session (or a lost partner) is waited for.</param>
/// <param name="BufferMessages">How many unacknowledged messages may wait for an absent partner.</param>
public sealed record ResumeSettings(TimeSpan TokenLifetime, TimeSpan Grace, int BufferMessages)
{
    /// <summary>The default grace period (<c>SocketPeer:Resume:Grace</c>).</summary>
    public static readonly TimeSpan DefaultGrace = TimeSpan.FromSeconds(30);

    /// <summary>The default token lifetime (<c>SocketPeer:Resume:TokenLifetime</c>).</summary>
    public static readonly TimeSpan DefaultTokenLifetime = TimeSpan.FromMinutes(10);

    /// <summary>The default number of messages kept for an absent partner (<c>SocketPeer:Resume:BufferMessages</c>).</summary>
    public const int DefaultBufferMessages = 256;

    /// <summary>The defaults.</summary>
    public static ResumeSettings Default() => new(DefaultTokenLifetime, DefaultGrace, DefaultBufferMessages);
}
