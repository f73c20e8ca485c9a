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

    /// <summary>
    /// The id of <see cref="Secret"/>, written into every token it signs (a <see cref="Protocol.KeyId"/>:
    /// 1 to 32 of <c>A-Z a-z 0-9 . _ -</c>). Give each new secret a new id.
    /// </summary>
    public string SecretId { get; set; } = "1";

    /// <summary>
    /// Secrets retired from signing that still verify tokens, each with the id it signed under
    /// (<c>SocketPeer:Resume:PreviousSecrets:0:Id</c>, <c>…:0:Secret</c>). A rotation moves the old
    /// <see cref="Secret"/> here and keeps it at least <see cref="TokenLifetime"/> after every node
    /// signs with the new one (docs/protocol.md, "Key rotation").
    /// </summary>
    public List<PreviousSecret> PreviousSecrets { get; set; } = [];

    /// <summary>How long a session whose socket dropped (or a lost partner) is kept for its client.</summary>
    public TimeSpan Grace { get; set; } = ResumeSettings.DefaultGrace;

    /// <summary>How long a resume token is valid; sessions send a fresh one every half of it.</summary>
    public TimeSpan TokenLifetime { get; set; } = ResumeSettings.DefaultTokenLifetime;

    /// <summary>How many unacknowledged messages may wait at a sender for an absent partner.</summary>
    public int BufferMessages { get; set; } = ResumeSettings.DefaultBufferMessages;

    /// <summary>The secret's bytes, or null when none is configured (or it does not decode).</summary>
    public byte[]? SecretBytes() => Decode(Secret);

    /// <summary>Base64 bytes, or null when empty or not base64.</summary>
    internal static byte[]? Decode(string? base64)
    {
        if (string.IsNullOrEmpty(base64)) return null;
        try
        {
            return Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public override string ToString() =>
        $"Secret={(string.IsNullOrEmpty(Secret) ? "unset" : "set")}, SecretId={SecretId}, " +
        $"PreviousSecrets=[{string.Join(", ", PreviousSecrets.Select(p => p.Id))}], Grace={Grace}, " +
        $"TokenLifetime={TokenLifetime}, BufferMessages={BufferMessages}";
}

/// <summary>A resume secret that verifies tokens but signs none any more (<see cref="ResumeOptions.PreviousSecrets"/>).</summary>
public sealed class PreviousSecret
{
    /// <summary>The id tokens signed with it carry.</summary>
    public string? Id { get; set; }

    /// <summary>Base64 of at least 32 bytes; never logged.</summary>
    public string? Secret { get; set; }

    public override string ToString() => $"Id={Id}, Secret={(string.IsNullOrEmpty(Secret) ? "unset" : "set")}";
}
