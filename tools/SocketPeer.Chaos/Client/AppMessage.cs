using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SocketPeer.Chaos.Client;

/// <summary>
/// The application payload every client sends: pair id, direction, application sequence number,
/// send time, padding. The numbers are the application's own, independent of the protocol's
/// <c>seq</c>, so the report sees what the application would see.
/// </summary>
public static class AppMessage
{
    /// <summary>The payload: <c>{"p":pair,"d":"a→b","n":number,"t":ms,"x":padding}</c>.</summary>
    public static string Payload(int pair, string direction, long number, double sentAtMs, string padding) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{{\"p\":{pair},\"d\":\"{direction}\",\"n\":{number},\"t\":{sentAtMs:0.###},\"x\":\"{padding}\"}}");

    /// <summary>
    /// The whole frame <c>{"type":"data","data":…,"seq":k}</c> around a payload (no seq when
    /// <paramref name="seq"/> is 0); a re-send wraps the same payload with the same number.
    /// </summary>
    public static byte[] Frame(string data, long seq) => Encoding.UTF8.GetBytes(seq > 0
        ? string.Create(CultureInfo.InvariantCulture, $"{{\"type\":\"data\",\"data\":{data},\"seq\":{seq}}}")
        : $"{{\"type\":\"data\",\"data\":{data}}}");

    /// <summary>The application fields of a relayed payload, or null when it is not one of ours.</summary>
    public static (int Pair, string Direction, long Number, double SentAtMs)? Read(JsonElement data)
    {
        if (data.ValueKind != JsonValueKind.Object) return null;
        if (!data.TryGetProperty("p", out var p) || !data.TryGetProperty("d", out var d) ||
            !data.TryGetProperty("n", out var n) || !data.TryGetProperty("t", out var t)) return null;
        return (p.GetInt32(), d.GetString() ?? "", n.GetInt64(), t.GetDouble());
    }
}
