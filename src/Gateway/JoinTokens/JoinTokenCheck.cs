using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SocketPeer.Actors.Rooms;
using SocketPeer.Gateway.Protocol;
using static SocketPeer.Gateway.Protocol.ServerErrorCodes;

namespace SocketPeer.Gateway.JoinTokens;

/// <summary>
/// Decides whether a <c>pair</c> may go on, when the operator requires join tokens: a JWT signed by
/// the application's backend (HS256 or ES256, checked by Microsoft.IdentityModel), unexpired, not
/// valid for longer than <see cref="JoinTokenOptions.MaxLifetime"/>, of the configured issuer and
/// audience, whose <c>pair_code</c> equals the code or whose <c>pair_code_prefix</c> begins it.
/// </summary>
public sealed class JoinTokenCheck
{
    /// <summary>Claim: the one pair code the token admits.</summary>
    public const string CodeClaim = "pair_code";

    /// <summary>Claim: the prefix every pair code the token admits begins with.</summary>
    public const string CodePrefixClaim = "pair_code_prefix";

    /// <summary>A join token is a few hundred bytes; anything far longer is not one (and is not parsed).</summary>
    private const int MaxTokenBytes = 4096;

    private readonly JsonWebTokenHandler _handler = new() { MaximumTokenSizeInBytes = MaxTokenBytes };
    private readonly TokenValidationParameters _parameters;
    private readonly TimeSpan _maxLifetime;
    private readonly TimeProvider _time;

    public JoinTokenCheck(JoinTokenOptions options, TimeProvider time)
    {
        _time = time;
        _maxLifetime = options.MaxLifetime + options.ClockSkew;
        var keys = options.Keys.Select(SigningKey).ToArray();
        _parameters = new TokenValidationParameters
        {
            // A token that names its key (kid) is checked with that key only, so a retired id stays
            // retired even if its secret is reused; one that names none is tried against every key.
            IssuerSigningKeyResolver = (_, _, kid, _) =>
                string.IsNullOrEmpty(kid) ? keys : keys.Where(k => string.Equals(k.KeyId, kid, StringComparison.Ordinal)),
            TryAllIssuerSigningKeys = false,
            ValidAlgorithms = [JoinTokenAlgorithms.Hs256, JoinTokenAlgorithms.Es256],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = options.ClockSkew,
            ValidateIssuer = !string.IsNullOrEmpty(options.Issuer),
            ValidIssuer = options.Issuer,
            ValidateAudience = !string.IsNullOrEmpty(options.Audience),
            ValidAudience = options.Audience,
            // Expiry by the server's TimeProvider, the clock every other deadline here uses.
            LifetimeValidator = (notBefore, expires, _, p) => WithinLifetime(notBefore, expires, p.ClockSkew),
        };
    }

    /// <summary>Null when <paramref name="token"/> admits <paramref name="code"/>; otherwise why not, for the client.</summary>
    public async ValueTask<ServerErrorNotice?> CheckAsync(PairCode code, string? token)
    {
        if (string.IsNullOrEmpty(token))
            return new(JoinTokenRequired, "pair: this server requires a join token from the application (the pair message's \"token\", or ?token= on the socket URL)");
        if (token.Length > MaxTokenBytes)
            return new(JoinTokenInvalid, "pair: the join token is not valid (too long)");

        var result = await _handler.ValidateTokenAsync(token, _parameters);
        if (!result.IsValid)
            return result.Exception is SecurityTokenExpiredException or SecurityTokenNotYetValidException
                ? new(JoinTokenExpired, "pair: the join token has expired or is not valid yet; fetch a fresh one")
                : new(JoinTokenInvalid, "pair: the join token is not valid (signature, key, algorithm, issuer, audience or lifetime)");

        var jwt = (JsonWebToken)result.SecurityToken;
        if (jwt.ValidTo - _time.GetUtcNow().UtcDateTime > _maxLifetime)
            return new(JoinTokenInvalid, $"pair: the join token is valid for longer than this server accepts ({_maxLifetime - _parameters.ClockSkew})");
        var hasCode = jwt.TryGetPayloadValue<string>(CodeClaim, out var exact);
        var hasPrefix = jwt.TryGetPayloadValue<string>(CodePrefixClaim, out var prefix);
        if (hasCode == hasPrefix || (hasPrefix && string.IsNullOrEmpty(prefix)))
            return new(JoinTokenInvalid, $"pair: a join token names exactly one of \"{CodeClaim}\" and a non-empty \"{CodePrefixClaim}\"");
        var admits = hasCode
            ? string.Equals(exact, code.Value, StringComparison.Ordinal)
            : code.Value.StartsWith(prefix!, StringComparison.Ordinal);
        return admits ? null : new(JoinTokenCode, "pair: the join token is for another pair code");
    }

    private bool WithinLifetime(DateTime? notBefore, DateTime? expires, TimeSpan skew)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        if (expires is not { } exp) throw new SecurityTokenNoExpirationException("a join token needs \"exp\"");
        if (now - skew >= exp) throw new SecurityTokenExpiredException("the join token has expired") { Expires = exp };
        if (notBefore is { } nbf && now + skew < nbf)
            throw new SecurityTokenNotYetValidException("the join token is not valid yet") { NotBefore = nbf };
        return true;
    }

    private static SecurityKey SigningKey(JoinTokenKey key) => key.Algorithm switch
    {
        JoinTokenAlgorithms.Hs256 => new SymmetricSecurityKey(Convert.FromBase64String(key.Secret!)) { KeyId = key.Id },
        JoinTokenAlgorithms.Es256 => new ECDsaSecurityKey(PublicKey(key.PublicKey!)) { KeyId = key.Id },
        _ => throw new ArgumentException($"join token key {key.Id}: unknown algorithm {key.Algorithm}"),
    };

    /// <summary>A P-256 public key from PEM; throws when it is anything else.</summary>
    public static ECDsa PublicKey(string pem)
    {
        var ec = ECDsa.Create();
        ec.ImportFromPem(pem);
        if (ec.KeySize != 256)
        {
            ec.Dispose();
            throw new CryptographicException("ES256 needs a P-256 key");
        }
        return ec;
    }
}
