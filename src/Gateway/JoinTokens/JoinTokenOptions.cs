namespace SocketPeer.Gateway.JoinTokens;

/// <summary>
/// <c>SocketPeer:JoinTokens</c>: whether every <c>pair</c> must carry a token that the application's
/// backend signed, and how to check one (docs/protocol.md, Join tokens). Off by default, so the
/// original client, which cannot carry a token, keeps working.
/// </summary>
public sealed class JoinTokenOptions
{
    /// <summary>Refuse every <c>pair</c> without a valid token for its code.</summary>
    public bool Required { get; set; }

    /// <summary>
    /// The keys a token may be signed with. Tokens name theirs by <c>kid</c>; a rollout that changes
    /// keys lists the old and the new together until the backend signs with the new one only.
    /// </summary>
    public JoinTokenKey[] Keys { get; set; } = [];

    /// <summary>When set, a token's <c>iss</c> must equal it.</summary>
    public string? Issuer { get; set; }

    /// <summary>When set, a token's <c>aud</c> must contain it.</summary>
    public string? Audience { get; set; }

    /// <summary>
    /// The longest a token may still be valid for when it arrives (its <c>exp</c> from now). Join
    /// tokens are meant to be minted per pairing; a token that lives for days is a leaked credential
    /// waiting to happen, so a longer one is refused.
    /// </summary>
    public TimeSpan MaxLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Clock difference allowed between the backend that signs and this server.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>What is wrong with these settings, each naming its key; empty when they can be used.</summary>
    public IEnumerable<string> Problems()
    {
        const string prefix = "SocketPeer:JoinTokens:";
        if (Required && Keys.Length == 0)
            yield return $"{prefix}Required is set but no {prefix}Keys are: no token could be checked.";
        if (MaxLifetime <= TimeSpan.Zero || MaxLifetime > TimeSpan.FromDays(1))
            yield return $"{prefix}MaxLifetime must be more than zero and at most a day (got {MaxLifetime}).";
        if (ClockSkew < TimeSpan.Zero || ClockSkew > TimeSpan.FromMinutes(10))
            yield return $"{prefix}ClockSkew must be between zero and 10 minutes (got {ClockSkew}).";
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Keys.Length; i++)
        {
            var key = Keys[i];
            var at = $"{prefix}Keys:{i}";
            if (string.IsNullOrWhiteSpace(key.Id)) yield return $"{at}:Id is empty: tokens name their key by it (kid).";
            else if (!ids.Add(key.Id)) yield return $"{at}:Id '{key.Id}' is used by another key.";
            if (key.Algorithm == JoinTokenAlgorithms.Hs256)
            {
                if (Options.ResumeOptions.Decode(key.Secret) is not { Length: >= 32 })
                    yield return $"{at}:Secret must be base64 of at least 32 bytes (e.g. `openssl rand -base64 32`).";
            }
            else if (key.Algorithm == JoinTokenAlgorithms.Es256)
            {
                if (!IsP256PublicKey(key.PublicKey))
                    yield return $"{at}:PublicKey must be a P-256 public key in PEM (-----BEGIN PUBLIC KEY-----).";
            }
            else
            {
                yield return $"{at}:Algorithm must be {JoinTokenAlgorithms.Hs256} or {JoinTokenAlgorithms.Es256} (got '{key.Algorithm}').";
            }
        }
    }

    private static bool IsP256PublicKey(string? pem)
    {
        if (string.IsNullOrWhiteSpace(pem)) return false;
        try
        {
            using var key = JoinTokenCheck.PublicKey(pem);
            return true;
        }
        catch (Exception e) when (e is ArgumentException or System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
    }
}

/// <summary>One key a join token may be signed with.</summary>
public sealed class JoinTokenKey
{
    /// <summary>The key's id: a token's <c>kid</c> header names it (a token without one is tried against every key).</summary>
    public string Id { get; set; } = "";

    /// <summary><c>HS256</c> (a secret shared with the backend) or <c>ES256</c> (the backend's P-256 public key).</summary>
    public string Algorithm { get; set; } = JoinTokenAlgorithms.Hs256;

    /// <summary>HS256: the shared secret, base64 of at least 32 bytes.</summary>
    public string? Secret { get; set; }

    /// <summary>ES256: the backend's public key, PEM (<c>-----BEGIN PUBLIC KEY-----</c>).</summary>
    public string? PublicKey { get; set; }
}

/// <summary>The signature algorithms a join token may use; anything else (including <c>none</c>) is refused.</summary>
public static class JoinTokenAlgorithms
{
    public const string Hs256 = "HS256";
    public const string Es256 = "ES256";
}
