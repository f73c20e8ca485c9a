using System.Text.Json;
using SocketPeer.Actors.Sessions;
using static SocketPeer.Actors.Sessions.ServerErrorCodes;

namespace SocketPeer.Gateway.Protocol;

/// <summary>
/// Reads one client message, <c>{"type": string, "data": any}</c>, straight from the frame's UTF-8
/// with <see cref="Utf8JsonReader"/> (no DOM). The whole frame is validated as JSON; the raw bytes
/// of <c>data</c> are kept for relay so payloads are never re-serialised. Other properties are
/// ignored, as the original server did.
/// </summary>
public sealed class WireDecoder(IPairCodeValidator pairCodes)
{
    private const int MaxTypeEcho = 40;
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };

    public InboundDecision Decode(ReadOnlySpan<byte> frame, SessionId session)
    {
        WireType type;
        Range data;
        string? typeName;
        try
        {
            if (!TryReadEnvelope(frame, out type, out typeName, out data, out var problem))
                return InboundDecision.Error(BadMessage, problem!);
        }
        catch (JsonException)
        {
            return InboundDecision.Error(BadMessage, "a message must be one JSON object: {\"type\": string, \"data\": any}");
        }

        var payload = frame[data];
        return type switch
        {
            WireType.Pair => Pair(payload, session),
            WireType.Data => new InboundDecision.Forward(new ClientRelay(session, RelayKind.Data, payload.ToArray())),
            WireType.Signal => new InboundDecision.Forward(new ClientRelay(session, RelayKind.Signal, payload.ToArray())),
            WireType.Connect => new InboundDecision.Forward(new ClientRelay(session, RelayKind.Connect, [])),
            WireType.Leave => new InboundDecision.Forward(new ClientLeave(session)),
            WireType.RtcStatus => RtcStatus(payload, session),
            _ => InboundDecision.Error(UnknownType, $"unknown type \"{Truncate(typeName!)}\""),
        };
    }

    private InboundDecision Pair(ReadOnlySpan<byte> payload, SessionId session)
    {
        const string shape = "pair: data must be the pair code, a non-empty string";
        if (payload.IsEmpty)
            return InboundDecision.Error(InvalidPairCode, shape);
        var reader = new Utf8JsonReader(payload, ReaderOptions);
        reader.Read();
        if (reader.TokenType != JsonTokenType.String)
            return InboundDecision.Error(InvalidPairCode, shape);
        var code = reader.GetString()!;
        var why = pairCodes.Validate(code);
        return why is null
            ? new InboundDecision.Forward(new ClientPair(session, new(code)))
            : InboundDecision.Error(InvalidPairCode, $"pair: {why}");
    }

    private static InboundDecision RtcStatus(ReadOnlySpan<byte> payload, SessionId session)
    {
        const string shape = "rtc.status: data must be {\"state\": \"upgraded\" | \"downgraded\"}";
        if (payload.IsEmpty)
            return InboundDecision.Error(BadMessage, shape);
        var reader = new Utf8JsonReader(payload, ReaderOptions);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
            return InboundDecision.Error(BadMessage, shape);
        RtcPath? path = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isState = reader.ValueTextEquals("state"u8);
            reader.Read();
            if (isState && reader.TokenType == JsonTokenType.String)
                path = reader.ValueTextEquals("upgraded"u8) ? RtcPath.Upgraded
                    : reader.ValueTextEquals("downgraded"u8) ? RtcPath.Downgraded : null;
            reader.Skip();
        }
        return path is { } p
            ? new InboundDecision.Forward(new ClientRtcStatus(session, p))
            : InboundDecision.Error(BadMessage, shape);
    }

    /// <summary>Finds <c>type</c> and the byte range of <c>data</c> (empty when absent); throws on invalid JSON.</summary>
    private static bool TryReadEnvelope(ReadOnlySpan<byte> frame, out WireType type, out string? typeName,
        out Range data, out string? problem)
    {
        type = WireType.None;
        typeName = null;
        data = default;
        problem = null;
        var typeSeen = false;
        var typeIsString = false;
        var reader = new Utf8JsonReader(frame, ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            // Read the rest so that invalid JSON is reported as such rather than as "not an object".
            while (reader.Read()) { }
            problem = "a message must be a JSON object: {\"type\": string, \"data\": any}";
            return false;
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                typeSeen = true;
                typeIsString = reader.TokenType == JsonTokenType.String;
                if (typeIsString)
                {
                    type = Classify(ref reader);
                    typeName = type == WireType.Unknown ? reader.GetString() : null;
                }
                reader.Skip();
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                data = start..(int)reader.BytesConsumed;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        while (reader.Read()) { } // trailing content after the object throws here

        if (!typeSeen) problem = "a message needs a \"type\"";
        else if (!typeIsString) problem = "\"type\" must be a string";
        return problem is null;
    }

    private static WireType Classify(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("data"u8) ? WireType.Data
        : reader.ValueTextEquals("rtc.signal"u8) ? WireType.Signal
        : reader.ValueTextEquals("pair"u8) ? WireType.Pair
        : reader.ValueTextEquals("rtc.connect"u8) ? WireType.Connect
        : reader.ValueTextEquals("leave"u8) ? WireType.Leave
        : reader.ValueTextEquals("rtc.status"u8) ? WireType.RtcStatus
        : WireType.Unknown;

    private static string Truncate(string s) => s.Length <= MaxTypeEcho ? s : s[..MaxTypeEcho] + "…";

    private enum WireType { None, Unknown, Pair, Data, Signal, Connect, Leave, RtcStatus }
}
