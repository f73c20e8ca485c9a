using System.Text.Json;

namespace SocketPeer.Bench.RawRelay;

public enum EnvelopeType { Invalid, Pair, Relay, Leave, Other }

/// <summary>Reads <c>{"type": string, "data": any}</c>: validates the whole frame as JSON and classifies it.</summary>
public static class Envelope
{
    public static EnvelopeType Read(ReadOnlySpan<byte> frame, out string? pairCode)
    {
        pairCode = null;
        var type = EnvelopeType.Invalid;
        try
        {
            var reader = new Utf8JsonReader(frame);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return EnvelopeType.Invalid;
            string? data = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isType = reader.ValueTextEquals("type"u8);
                var isData = !isType && reader.ValueTextEquals("data"u8);
                reader.Read();
                if (isType && reader.TokenType == JsonTokenType.String)
                    type = reader.ValueTextEquals("data"u8) || reader.ValueTextEquals("rtc.signal"u8) || reader.ValueTextEquals("rtc.connect"u8)
                        ? EnvelopeType.Relay
                        : reader.ValueTextEquals("pair"u8) ? EnvelopeType.Pair
                        : reader.ValueTextEquals("leave"u8) ? EnvelopeType.Leave
                        : EnvelopeType.Other;
                // Only a pair's code is ever materialised; relayed data is only walked over.
                else if (isData && reader.TokenType == JsonTokenType.String) data = reader.GetString();
                reader.Skip();
            }
            while (reader.Read()) { } // trailing content throws
            if (type == EnvelopeType.Pair) pairCode = string.IsNullOrEmpty(data) ? null : data;
            return type;
        }
        catch (JsonException)
        {
            return EnvelopeType.Invalid;
        }
    }
}
