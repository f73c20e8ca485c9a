using System.Security.Cryptography;
using System.Text;

namespace SocketPeer.Gateway.Webhooks;

/// <summary>
/// How an event is signed (docs/webhooks.md, "Verifying"): HMAC-SHA256, keyed with the secret's
/// UTF-8 bytes, over <c>{timestamp}.{body}</c>, where the timestamp is the
/// <c>SocketPeer-Timestamp</c> header (Unix seconds) and the body the raw bytes POSTed. Binding the
/// time in lets a receiver refuse an old request replayed; one <c>v1=</c> signature per secret lets
/// it rotate secrets.
/// </summary>
public sealed class WebhookSignature
{
    public const string EventIdHeader = "SocketPeer-Event-Id";
    public const string TimestampHeader = "SocketPeer-Timestamp";
    public const string SignatureHeader = "SocketPeer-Signature";
    public const string Scheme = "v1";

    private readonly byte[][] _keys;

    /// <param name="secrets">the current secret first, then any being retired</param>
    public WebhookSignature(IEnumerable<string> secrets) => _keys = [.. secrets.Select(Encoding.UTF8.GetBytes)];

    /// <summary>The <c>SocketPeer-Signature</c> value: <c>v1=&lt;hex&gt;</c>, one per secret, comma-separated.</summary>
    public string Sign(long timestamp, ReadOnlySpan<byte> body)
    {
        var signed = Signed(timestamp, body);
        return string.Join(",", _keys.Select(key => $"{Scheme}={Convert.ToHexStringLower(HMACSHA256.HashData(key, signed))}"));
    }

    /// <summary>What a receiver checks: whether <paramref name="header"/> holds a signature by <paramref name="secret"/>.</summary>
    public static bool Verify(string secret, long timestamp, ReadOnlySpan<byte> body, string header)
    {
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Signed(timestamp, body));
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!part.StartsWith(Scheme + "=", StringComparison.Ordinal)) continue;
            byte[] given;
            try { given = Convert.FromHexString(part.AsSpan(Scheme.Length + 1)); }
            catch (FormatException) { continue; }
            if (CryptographicOperations.FixedTimeEquals(given, expected)) return true;
        }
        return false;
    }

    private static byte[] Signed(long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.ASCII.GetBytes($"{timestamp}.");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return signed;
    }
}
