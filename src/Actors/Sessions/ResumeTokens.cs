using System.Buffers.Text;
using System.Security.Cryptography;
using SocketPeer.Actors.Rooms;

namespace SocketPeer.Actors.Sessions;

/// <summary>Which pairing state a resume token was issued in, or a resumed session is back in.</summary>
public enum ResumeState : byte
{
    Idle = 1,
    Waiting = 2,
    Paired = 3,
}

/// <summary>
/// What a resume token vouches for: enough to rebuild the session when its entity was lost with its
/// node (docs/architecture.md section 5). The partner still has to confirm a pairing before it counts.
/// </summary>
public sealed record ResumeClaims(SessionId Session, ResumeState State, PairCode? Code, SessionId? Partner,
    bool PartnerResumable, DateTimeOffset Expires);

/// <summary>
/// Issues and checks resume tokens: the claims, 128 random bits and an HMAC-SHA256 under a secret
/// every node shares, so any node can accept a token without asking the node that issued it (which
/// may be gone). Format: <c>base64url(body) "." base64url(mac)</c>; the MAC is compared in constant time.
/// </summary>
public sealed class ResumeTokens
{
    private const byte Version = 1;
    private const int NonceBytes = 16;
    private const int MaxTokenChars = 1024;

    private readonly byte[] _secret;
    private readonly TimeProvider _time;

    public ResumeTokens(byte[] secret, TimeSpan lifetime, TimeProvider time)
    {
        if (secret.Length < 32) throw new ArgumentException("a resume secret needs at least 32 bytes", nameof(secret));
        _secret = secret;
        Lifetime = lifetime;
        _time = time;
    }

    public TimeSpan Lifetime { get; }

    public string Issue(SessionId session, ResumeState state, PairCode? code, SessionId? partner, bool partnerResumable)
    {
        var expires = _time.GetUtcNow() + Lifetime;
        using var body = new MemoryStream(96);
        using (var w = new BinaryWriter(body, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Version);
            w.Write(RandomNumberGenerator.GetBytes(NonceBytes));
            w.Write(session.Value);
            w.Write((byte)state);
            w.Write(code?.Value ?? "");
            w.Write(partner?.Value ?? "");
            w.Write(partnerResumable);
            w.Write(expires.ToUnixTimeSeconds());
        }
        var bytes = body.ToArray();
        return Base64Url.EncodeToString(bytes) + "." + Base64Url.EncodeToString(HMACSHA256.HashData(_secret, bytes));
    }

    /// <returns>The claims, or null with <paramref name="problem"/> saying why the token is refused.</returns>
    public ResumeClaims? Read(string? token, out string? problem)
    {
        problem = "the token is malformed";
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenChars) return null;
        var dot = token.IndexOf('.');
        if (dot <= 0) return null;
        byte[] body, mac;
        try
        {
            body = Base64Url.DecodeFromChars(token.AsSpan(0, dot));
            mac = Base64Url.DecodeFromChars(token.AsSpan(dot + 1));
        }
        catch (FormatException)
        {
            return null;
        }
        if (!CryptographicOperations.FixedTimeEquals(mac, HMACSHA256.HashData(_secret, body)))
        {
            problem = "the token was not issued by this service";
            return null;
        }

        ResumeClaims claims;
        try
        {
            using var r = new BinaryReader(new MemoryStream(body, writable: false));
            if (r.ReadByte() != Version) return null;
            r.ReadBytes(NonceBytes);
            var session = new SessionId(r.ReadString());
            var state = (ResumeState)r.ReadByte();
            var code = r.ReadString();
            var partner = r.ReadString();
            var partnerResumable = r.ReadBoolean();
            var expires = DateTimeOffset.FromUnixTimeSeconds(r.ReadInt64());
            if (!Enum.IsDefined(state) || (state != ResumeState.Idle && code.Length == 0)
                || (state == ResumeState.Paired && partner.Length == 0))
                return null;
            claims = new ResumeClaims(session, state, code.Length == 0 ? null : new PairCode(code),
                partner.Length == 0 ? null : new SessionId(partner), partnerResumable, expires);
        }
        catch (EndOfStreamException)
        {
            return null;
        }
        if (claims.Expires <= _time.GetUtcNow())
        {
            problem = "the token has expired";
            return null;
        }
        problem = null;
        return claims;
    }
}
