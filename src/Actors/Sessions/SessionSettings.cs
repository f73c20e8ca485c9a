namespace SocketPeer.Actors.Sessions;

/// <summary>What a session needs to know from the host's options.</summary>
public sealed record SessionSettings(TimeSpan PeerTimeout, ResumeSettings? ResumeOptions = null)
{
    public ResumeSettings Resume { get; } = ResumeOptions ?? ResumeSettings.Default();
}

/// <summary>How sessions outlive their sockets (docs/protocol.md, Resume).</summary>
/// <param name="Tokens">Issues and checks resume tokens (the secret must be the same on every node).</param>
/// <param name="Grace">How long an absent client's session (or a lost partner) is waited for.</param>
/// <param name="BufferMessages">How many unacknowledged messages may wait for an absent partner.</param>
public sealed record ResumeSettings(ResumeTokens Tokens, TimeSpan Grace, int BufferMessages)
{
    /// <summary>The default grace period (<c>SocketPeer:Resume:Grace</c>).</summary>
    public static readonly TimeSpan DefaultGrace = TimeSpan.FromSeconds(30);

    /// <summary>The default token lifetime (<c>SocketPeer:Resume:TokenLifetime</c>).</summary>
    public static readonly TimeSpan DefaultTokenLifetime = TimeSpan.FromMinutes(10);

    /// <summary>The default number of messages kept for an absent partner (<c>SocketPeer:Resume:BufferMessages</c>).</summary>
    public const int DefaultBufferMessages = 256;

    /// <summary>A one-node default: a random secret, which no other node knows.</summary>
    public static ResumeSettings Default() => new(
        new ResumeTokens(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32), DefaultTokenLifetime, TimeProvider.System),
        DefaultGrace, DefaultBufferMessages);
}
