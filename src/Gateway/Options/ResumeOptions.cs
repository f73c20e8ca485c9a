using SocketPeer.Actors.Sessions;

namespace SocketPeer.Gateway.Options;

/// <summary>
/// How sessions outlive their sockets (<c>SocketPeer:Resume</c>; docs/protocol.md, Resume).
/// </summary>
public sealed class ResumeOptions
{
    /// <summary>
    /// Base64 of at least 32 random bytes, the same on every node, which signs resume tokens. Set it
    /// from a secret store or <c>SocketPeer__Resume__Secret</c>; it is never logged or sent. Empty: a
    /// random secret per process, which is fine for one node but lets no other node accept its tokens.
    /// </summary>
    public string? Secret { get; set; }

    /// <summary>How long a session whose socket dropped (or a lost partner) is kept for its client.</summary>
    public TimeSpan Grace { get; set; } = ResumeSettings.DefaultGrace;

    /// <summary>How long a resume token is valid; sessions send a fresh one every half of it.</summary>
    public TimeSpan TokenLifetime { get; set; } = ResumeSettings.DefaultTokenLifetime;

    /// <summary>How many unacknowledged messages may wait at a sender for an absent partner.</summary>
    public int BufferMessages { get; set; } = ResumeSettings.DefaultBufferMessages;

    /// <summary>The secret's bytes, or null when none is configured (or it does not decode).</summary>
    public byte[]? SecretBytes()
    {
        if (string.IsNullOrEmpty(Secret)) return null;
        try
        {
            return Convert.FromBase64String(Secret);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public override string ToString() =>
        $"Secret={(string.IsNullOrEmpty(Secret) ? "unset" : "set")}, Grace={Grace}, TokenLifetime={TokenLifetime}, BufferMessages={BufferMessages}";
}
