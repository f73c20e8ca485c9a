using System.Security.Cryptography;
using System.Text;

namespace SocketPeer.Gateway.Ice;

/// <summary>A TURN username and password pair that the TURN server can check without asking us.</summary>
public readonly record struct TurnCredential(string Username, string Credential);

/// <summary>
/// Short-lived TURN credentials in the scheme TURN servers accept with a shared secret (coturn's
/// <c>use-auth-secret</c>, the "TURN REST API" draft): the username is <c>&lt;unix expiry&gt;:&lt;id&gt;</c>
/// and the password is base64(HMAC-SHA1(secret, username)). The TURN server recomputes the HMAC and
/// refuses the credential once the expiry has passed.
/// </summary>
public static class TurnCredentials
{
    public static TurnCredential Create(string secret, string id, DateTimeOffset expiresAt)
    {
        var username = $"{expiresAt.ToUnixTimeSeconds()}:{id}";
        var mac = HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(username));
        return new TurnCredential(username, Convert.ToBase64String(mac));
    }
}
