namespace SocketPeer.Gateway.Options;

/// <summary>
/// The ICE servers handed to clients (<c>SocketPeer:Ice</c>), so a page never hard-codes a STUN host
/// or a TURN password. TURN credentials are minted per connection and expire.
/// </summary>
public sealed class IceOptions
{
    /// <summary><c>stun:host:port</c> URLs.</summary>
    public string[] StunUrls { get; set; } = [];

    /// <summary><c>turn:host:port?transport=udp</c> / <c>turns:…</c> URLs of one TURN service.</summary>
    public string[] TurnUrls { get; set; } = [];

    /// <summary>
    /// The TURN server's shared secret (coturn <c>static-auth-secret</c> with <c>use-auth-secret</c>).
    /// Set it from a secret store or <c>SocketPeer__Ice__TurnSecret</c>; it is never logged and never
    /// sent to a client: clients get credentials derived from it.
    /// </summary>
    public string? TurnSecret { get; set; }

    /// <summary>How long a minted TURN credential stays valid.</summary>
    public TimeSpan CredentialLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// TURN credentials minted per minute for one client address, sustained (in <c>session</c>
    /// messages and from <c>/socketpeer/ice</c>); past it and <see cref="CredentialBurst"/>, a
    /// <c>session</c> carries no TURN server and <c>/socketpeer/ice</c> answers 429.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(1, 100_000)]
    public int CredentialsPerMinute { get; set; } = 30;

    /// <summary>TURN credentials one client address may be given at once (a NAT's clients reconnecting together).</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 100_000)]
    public int CredentialBurst { get; set; } = 100;

    public override string ToString() =>
        $"StunUrls=[{string.Join(", ", StunUrls)}], TurnUrls=[{string.Join(", ", TurnUrls)}], " +
        $"TurnSecret={(TurnSecret is null ? "unset" : "set")}, CredentialLifetime={CredentialLifetime}, " +
        $"CredentialsPerMinute={CredentialsPerMinute}, CredentialBurst={CredentialBurst}";
}
