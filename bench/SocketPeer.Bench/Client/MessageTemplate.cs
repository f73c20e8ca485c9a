using System.Buffers.Text;
using System.Diagnostics;
using System.Text;

namespace SocketPeer.Bench.Client;

/// <summary>
/// One message shape, encoded once; each send overwrites only its sequence number and timestamp in
/// place, so sending allocates nothing. Both travel as fixed-width digit strings (JSON numbers may not
/// have leading zeros) at the start of the payload: <c>"s":"0000000042","t":"000123456789012","k":"d"</c>.
/// </summary>
public sealed class MessageTemplate
{
    private readonly byte[] _bytes;
    private readonly int _seqAt;
    private readonly int _stampAt;

    /// <param name="json">The whole message with <see cref="Stamp.Placeholder"/> where the stamp goes.</param>
    public MessageTemplate(string json)
    {
        _bytes = Encoding.UTF8.GetBytes(json);
        var at = _bytes.AsSpan().IndexOf(Stamp.Marker);
        if (at < 0) throw new ArgumentException("no stamp in the template", nameof(json));
        _seqAt = at + Stamp.Marker.Length;
        _stampAt = _seqAt + Stamp.SeqDigits + Stamp.Between.Length;
    }

    public ReadOnlyMemory<byte> Bytes => _bytes;

    public int Length => _bytes.Length;

    public void Fill(long seq, long stamp)
    {
        Stamp.WriteDigits(_bytes.AsSpan(_seqAt, Stamp.SeqDigits), seq);
        Stamp.WriteDigits(_bytes.AsSpan(_stampAt, Stamp.StampDigits), stamp);
    }
}

/// <summary>The sequence number, send time and kind that every measured message carries.</summary>
public static class Stamp
{
    public const int SeqDigits = 10;
    public const int StampDigits = 15;
    public static ReadOnlySpan<byte> Marker => "\"s\":\""u8;
    public static ReadOnlySpan<byte> Between => "\",\"t\":\""u8;
    private static ReadOnlySpan<byte> BeforeKind => "\",\"k\":\""u8;

    /// <summary>Timestamps are <see cref="Stopwatch"/> ticks since this origin, so they fit 15 digits.</summary>
    public static readonly long Origin;

    // An explicit static constructor: Origin is set before any member runs. With a field initializer
    // alone it may be set lazily, after Now has already read the clock, and the first stamp of a
    // process came out negative (found by a "lost" message in a closed-loop run).
    static Stamp() => Origin = Stopwatch.GetTimestamp();

    public static long Now => Stopwatch.GetTimestamp() - Origin;

    /// <summary>The JSON members to put first in a payload, with kind <paramref name="kind"/> (d, o, a, c).</summary>
    public static string Placeholder(char kind) =>
        $"\"s\":\"{new string('0', SeqDigits)}\",\"t\":\"{new string('0', StampDigits)}\",\"k\":\"{kind}\"";

    public static void WriteDigits(Span<byte> into, long value)
    {
        value = Math.Max(0, value);
        for (var i = into.Length - 1; i >= 0; i--)
        {
            into[i] = (byte)('0' + value % 10);
            value /= 10;
        }
    }

    /// <summary>Finds the stamp in a received message; false when it has none (a control message).</summary>
    public static bool TryRead(ReadOnlySpan<byte> message, out long seq, out long stamp, out byte kind)
    {
        seq = stamp = 0;
        kind = 0;
        var at = message.IndexOf(Marker);
        if (at < 0) return false;
        var s = message[(at + Marker.Length)..];
        var afterStamp = SeqDigits + Between.Length + StampDigits;
        if (s.Length < afterStamp + BeforeKind.Length + 1) return false;
        if (!Utf8Parser.TryParse(s[..SeqDigits], out seq, out var n1) || n1 != SeqDigits) return false;
        if (!Utf8Parser.TryParse(s.Slice(SeqDigits + Between.Length, StampDigits), out stamp, out var n2) || n2 != StampDigits) return false;
        kind = s[afterStamp + BeforeKind.Length];
        return true;
    }
}
