namespace SocketPeer.Gateway.Webhooks;

/// <summary>
/// <c>SocketPeer:Webhook</c>: where room events go (docs/webhooks.md). Off while <see cref="Url"/> is
/// unset. Every value is checked at start-up (<see cref="Problems"/>); the secrets never appear in a
/// message or a log.
/// </summary>
public sealed class WebhookOptions
{
    /// <summary>The receiver: an absolute <c>https://</c> (or <c>http://</c>) URL each event is POSTed to.</summary>
    public string? Url { get; set; }

    /// <summary>Signs every event (HMAC-SHA256); at least 32 characters. Required with <see cref="Url"/>.</summary>
    public string? Secret { get; set; }

    /// <summary>
    /// Secrets being retired: each event is signed with these too (one signature each), so a receiver
    /// still checking an old secret accepts events while it moves to the new one.
    /// </summary>
    public string[] PreviousSecrets { get; set; } = [];

    /// <summary>Events waiting for delivery on this node; past it, new events are dropped (and counted).</summary>
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>Deliveries under way at once from this node (each retries its event until it gives up).</summary>
    public int Concurrency { get; set; } = 4;

    /// <summary>Attempts per event, the first included; then it is dropped (and counted).</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>How old an event may grow (since it happened) before it is dropped rather than tried again.</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long one POST may take before it counts as failed.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The wait before the first retry; each next one doubles it, up to <see cref="MaxBackOff"/>, jittered.</summary>
    public TimeSpan FirstBackOff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between two attempts.</summary>
    public TimeSpan MaxBackOff { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Shortest secret taken: an HMAC key much shorter than its hash is guessable.</summary>
    public const int MinSecretLength = 32;

    public bool Enabled => !string.IsNullOrWhiteSpace(Url);

    /// <summary>What is wrong with these settings, each naming its key (never a secret's value); empty when they can be used.</summary>
    public IEnumerable<string> Problems()
    {
        const string prefix = "SocketPeer:Webhook:";
        if (!Enabled)
        {
            if (!string.IsNullOrEmpty(Secret) || PreviousSecrets.Length > 0)
                yield return $"{prefix}Secret is set but {prefix}Url is not: no event would be sent.";
            yield break;
        }
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
            yield return $"{prefix}Url '{Url}' is not an absolute http:// or https:// URL.";
        else if (!string.IsNullOrEmpty(url.UserInfo))
            yield return $"{prefix}Url must not carry credentials (user:password@): events are signed with {prefix}Secret instead.";
        if (Secret is not { Length: >= MinSecretLength })
            yield return $"{prefix}Secret must be at least {MinSecretLength} characters (e.g. `openssl rand -hex 32`): receivers check every event's signature with it.";
        for (var i = 0; i < PreviousSecrets.Length; i++)
            if (PreviousSecrets[i] is not { Length: >= MinSecretLength })
                yield return $"{prefix}PreviousSecrets:{i} must be at least {MinSecretLength} characters.";
        if (QueueCapacity is < 1 or > 1_000_000)
            yield return $"{prefix}QueueCapacity must be between 1 and 1000000 (got {QueueCapacity}).";
        if (Concurrency is < 1 or > 256)
            yield return $"{prefix}Concurrency must be between 1 and 256 (got {Concurrency}).";
        if (MaxAttempts is < 1 or > 100)
            yield return $"{prefix}MaxAttempts must be between 1 and 100 (got {MaxAttempts}).";
        if (MaxAge <= TimeSpan.Zero || MaxAge > TimeSpan.FromDays(1))
            yield return $"{prefix}MaxAge must be more than zero and at most a day (got {MaxAge}).";
        if (RequestTimeout <= TimeSpan.Zero || RequestTimeout > TimeSpan.FromMinutes(5))
            yield return $"{prefix}RequestTimeout must be more than zero and at most 5 minutes (got {RequestTimeout}).";
        if (FirstBackOff <= TimeSpan.Zero || FirstBackOff > TimeSpan.FromHours(1))
            yield return $"{prefix}FirstBackOff must be more than zero and at most an hour (got {FirstBackOff}).";
        if (MaxBackOff < FirstBackOff || MaxBackOff > TimeSpan.FromHours(1))
            yield return $"{prefix}MaxBackOff must be at least FirstBackOff ({FirstBackOff}) and at most an hour (got {MaxBackOff}).";
    }
}
