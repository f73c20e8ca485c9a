namespace SocketPeer.Gateway.Options;

/// <summary>
/// The ICE servers handed to clients (<c>SocketPeer:Ice</c>), so a page never hard-codes a STUN host
/// or a TURN password. TURN credentials are minted per connection and expire.
/// </summary>
public sealed class IceOptions
{
    /// <summary>
    /// Public STUN servers clients get when no <see cref="StunUrls"/> are configured and
    /// <see cref="DefaultStun"/> is on, so that two browsers behind different NATs can find a direct
    /// path (the original client, too, used a public STUN server by default). Two operators, so that
    /// one being down does not leave clients without a reflexive address.
    /// </summary>
    public static readonly IReadOnlyList<string> DefaultStunUrls = ["stun:stun.l.google.com:19302", "stun:stun.cloudflare.com:3478"];

    /// <summary>
    /// <c>stun:host:port</c> URLs. Configured URLs replace <see cref="DefaultStunUrls"/>; none
    /// configured means the default list (see <see cref="ApplyDefaults"/>).
    /// </summary>
    public string[] StunUrls { get; set; } = [];

    /// <summary>
    /// Whether clients get <see cref="DefaultStunUrls"/> when no <see cref="StunUrls"/> are configured.
    /// Off for a deployment whose clients must not contact third parties (an empty list cannot be
    /// written as an environment variable); configured <see cref="StunUrls"/> are handed out either way.
    /// </summary>
    public bool DefaultStun { get; set; } = true;

    /// <summary>
    /// Fills in <see cref="DefaultStunUrls"/> once configuration is bound. Not an initializer of
    /// <see cref="StunUrls"/>: the binder writes configured items over a non-empty array's items
    /// instead of replacing it, so one configured URL would have kept the second default.
    /// </summary>
    public void ApplyDefaults()
    {
        if (StunUrls.Length == 0 && DefaultStun) StunUrls = [.. DefaultStunUrls];
    }

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
        $"StunUrls=[{string.Join(", ", StunUrls)}], DefaultStun={DefaultStun}, TurnUrls=[{string.Join(", ", TurnUrls)}], " +
        $"TurnSecret={(TurnSecret is null ? "unset" : "set")}, CredentialLifetime={CredentialLifetime}, " +
        $"CredentialsPerMinute={CredentialsPerMinute}, CredentialBurst={CredentialBurst}";
}
