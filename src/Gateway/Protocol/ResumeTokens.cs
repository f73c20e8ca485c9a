using System.Buffers.Text;
using System.Security.Cryptography;
using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Sessions;

namespace SocketPeer.Gateway.Protocol;

/// <summary>
/// The resume token's wire format: a session's <see cref="ResumeClaims"/>, signed when written to its
/// client, and checked when a client sends <c>resume</c>. The claims, an expiry, 128 random bits and
/// an HMAC-SHA256 under a key every node shares, so any node can accept a token without asking the
/// node that issued it (which may be gone). Format: <c>base64url(body) "." base64url(mac)</c>; the
/// body names its key (<see cref="KeyId"/>), so tokens signed with a previous key stay good while
/// that key is configured; the MAC is compared in constant time.
/// </summary>
public sealed class ResumeTokens
{
    /// <summary>The format written: with a key id and a generation.</summary>
    private const byte Version = 2;

    /// <summary>The format of the release before key ids: no key id, no generation; still read (checked with every key).</summary>
    private const byte UnnamedKeyVersion = 1;

    private const int NonceBytes = 16;
    private const int MaxTokenChars = 1024;

    private readonly SigningKeys _keys;
    private readonly TimeProvider _time;

    public ResumeTokens(SigningKeys keys, TimeSpan lifetime, TimeProvider time)
    {
        _keys = keys;
        Lifetime = lifetime;
        _time = time;
    }

    /// <summary>One key of id "1" (tests, and a single node with no configured secret).</summary>
    public ResumeTokens(byte[] secret, TimeSpan lifetime, TimeProvider time)
        : this(new SigningKeys(new SigningKey(new KeyId("1"), secret)), lifetime, time)
    {
    }

    public TimeSpan Lifetime { get; }

    /// <summary>A token vouching for <paramref name="claims"/> until <see cref="Lifetime"/> from now, signed with the current key.</summary>
    public string Issue(ResumeClaims claims)
    {
        var expires = _time.GetUtcNow() + Lifetime;
        var key = _keys.Current;
        using var body = new MemoryStream(112);
        using (var w = new BinaryWriter(body, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Version);
            w.Write(key.Id.Value);
            w.Write(RandomNumberGenerator.GetBytes(NonceBytes));
            w.Write(claims.Session.Value);
            w.Write((byte)claims.State);
            w.Write(claims.Code?.Value ?? "");
            w.Write(claims.Partner?.Value ?? "");
            w.Write(claims.PartnerResumable);
            w.Write(claims.Generation);
            w.Write(expires.ToUnixTimeSeconds());
        }
        var bytes = body.ToArray();
        return Base64Url.EncodeToString(bytes) + "." + Base64Url.EncodeToString(HMACSHA256.HashData(key.Secret, bytes));
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

        try
        {
            using var r = new BinaryReader(new MemoryStream(body, writable: false));
            var version = r.ReadByte();
            if (version is not (Version or UnnamedKeyVersion)) return null;
            if (version == Version)
            {
                var id = r.ReadString();
                if (!KeyId.IsValid(id)) return null;
                if (_keys.Find(new KeyId(id)) is not { } key || !Signed(key, body, mac))
                {
                    problem = "the token was not issued by this service (or its key was retired)";
                    return null;
                }
            }
            else if (!_keys.All.Any(k => Signed(k, body, mac)))
            {
                problem = "the token was not issued by this service (or its key was retired)";
                return null;
            }
            r.ReadBytes(NonceBytes);
            var session = new SessionId(r.ReadString());
            var state = (ResumeState)r.ReadByte();
            var code = r.ReadString();
            var partner = r.ReadString();
            var partnerResumable = r.ReadBoolean();
            // A token of the release before generations counts as the first: a live session that
            // issued more than two since refuses it, a rebuilt one starts counting from it.
            var generation = version == Version ? r.ReadInt64() : 1;
            var expires = DateTimeOffset.FromUnixTimeSeconds(r.ReadInt64());
            if (!Enum.IsDefined(state) || (state != ResumeState.Idle && code.Length == 0)
                || (state == ResumeState.Paired && partner.Length == 0) || generation < 0)
                return null;
            if (expires <= _time.GetUtcNow())
            {
                problem = "the token has expired";
                return null;
            }
            problem = null;
            return new ResumeClaims(session, state, code.Length == 0 ? null : new PairCode(code),
                partner.Length == 0 ? null : new SessionId(partner), partnerResumable, generation);
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or ArgumentException)
        {
            return null;
        }
    }

    private static bool Signed(SigningKey key, byte[] body, byte[] mac) =>
        CryptographicOperations.FixedTimeEquals(mac, HMACSHA256.HashData(key.Secret, body));
}
