using System.Buffers;
using System.Text.Json;
using SocketPeer.Actors.Events;

namespace SocketPeer.Gateway.Webhooks;

/// <summary>The JSON body of one room event (docs/webhooks.md, "Events"); its names are part of the contract.</summary>
public static class WebhookPayload
{
    public static byte[] Serialize(RoomEvent e)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", e.Id);
            json.WriteString("type", TypeOf(e.Kind));
            json.WriteString("occurredAt", e.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("pairCode", e.Code.Value);
            json.WriteString("pairing", e.Pairing.Value);
            json.WriteString("session", e.Session.Value);
            json.WriteString("partner", e.Partner.Value);
            if (e.Kind == RoomEventKind.PairEnded)
            {
                json.WriteString("reason", ReasonOf(e.Reason ?? PairEndReason.Other));
                if (e.Duration is { } duration) json.WriteNumber("durationMs", (long)duration.TotalMilliseconds);
                else json.WriteNull("durationMs");
            }
            if (e.Kind == RoomEventKind.PairResumed) json.WriteBoolean("rebuilt", e.Rebuilt);
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static string TypeOf(RoomEventKind kind) => kind switch
    {
        RoomEventKind.PairFormed => "pair.formed",
        RoomEventKind.PairEnded => "pair.ended",
        RoomEventKind.PairResumed => "pair.resumed",
        RoomEventKind.PartnerLost => "pair.partner-lost",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static string ReasonOf(PairEndReason reason) => reason switch
    {
        PairEndReason.Left => "left",
        PairEndReason.Closed => "closed",
        PairEndReason.PartnerLeft => "partner-left",
        PairEndReason.ClientDidNotReturn => "client-did-not-return",
        PairEndReason.PartnerDidNotReturn => "partner-did-not-return",
        PairEndReason.PartnerLost => "partner-lost",
        PairEndReason.SeatTaken => "seat-taken",
        PairEndReason.Replaced => "replaced",
        PairEndReason.RoomTaken => "room-taken",
        PairEndReason.ResumeRefused => "resume-refused",
        _ => "other",
    };
}
