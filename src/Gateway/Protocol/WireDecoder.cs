using System.Text.Json;
using SocketPeer.Actors.Sessions;
using static SocketPeer.Gateway.Protocol.ServerErrorCodes;

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

    /// <summary>
    /// The decision for one frame; never throws for anything the client sent. A JSON string whose
    /// escapes are not text (an unpaired surrogate, <c>"\ud800"</c>) is valid JSON, yet
    /// <see cref="Utf8JsonReader.GetString"/> throws <see cref="InvalidOperationException"/> on it: that,
    /// like every other decode failure, is <c>bad-message</c>, and the socket goes on being served.
    /// </summary>
    public InboundDecision Decode(ReadOnlySpan<byte> frame, SessionId session)
    {
        try
        {
            return DecodeUnchecked(frame, session);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException or FormatException)
        {
            return InboundDecision.Error(BadMessage, "a message's strings must be valid text (no unpaired surrogate escapes)");
        }
    }

    private InboundDecision DecodeUnchecked(ReadOnlySpan<byte> frame, SessionId session)
    {
        WireType type;
        Range data;
        Range token;
        string? typeName;
        long seq;
        try
        {
            if (!TryReadEnvelope(frame, out type, out typeName, out data, out token, out seq, out var problem))
                return InboundDecision.Error(BadMessage, problem!);
        }
        catch (JsonException)
        {
            return InboundDecision.Error(BadMessage, "a message must be one JSON object: {\"type\": string, \"data\": any}");
        }

        var payload = frame[data];
        if (seq < 0 && type is WireType.Data or WireType.Signal or WireType.Connect)
            return InboundDecision.Error(BadMessage, "\"seq\" must be a positive integer");
        return type switch
        {
            WireType.Pair => Pair(payload, frame[token], session),
            WireType.Data => new InboundDecision.Forward(new ClientRelay(session, RelayKind.Data, payload.ToArray(), seq)),
            WireType.Signal => new InboundDecision.Forward(new ClientRelay(session, RelayKind.Signal, payload.ToArray(), seq)),
            WireType.Connect => new InboundDecision.Forward(new ClientRelay(session, RelayKind.Connect, [], seq)),
            WireType.Leave => new InboundDecision.Forward(new ClientLeave(session)),
            WireType.RtcStatus => RtcStatus(payload, session),
            WireType.Session => OptIn(payload, session),
            WireType.Ack => Ack(payload, session),
            WireType.Resume => Resume(payload),
            _ => InboundDecision.Error(UnknownType, $"unknown type \"{Truncate(typeName!)}\""),
        };
    }

    /// <param name="token">the raw JSON of the message's <c>token</c> (a join token), empty when absent.</param>
    private InboundDecision Pair(ReadOnlySpan<byte> payload, ReadOnlySpan<byte> token, SessionId session)
    {
        const string shape = "pair: data must be the pair code, a non-empty string";
        string? joinToken = null;
        if (!token.IsEmpty)
        {
            var tokenReader = new Utf8JsonReader(token, ReaderOptions);
            tokenReader.Read();
            if (tokenReader.TokenType == JsonTokenType.String) joinToken = tokenReader.GetString();
            else if (tokenReader.TokenType != JsonTokenType.Null)
                return InboundDecision.Error(BadMessage, "pair: \"token\" must be a string (a join token)");
        }
        if (payload.IsEmpty)
            return InboundDecision.Error(InvalidPairCode, shape);
        var reader = new Utf8JsonReader(payload, ReaderOptions);
        reader.Read();
        if (reader.TokenType != JsonTokenType.String)
            return InboundDecision.Error(InvalidPairCode, shape);
        var code = reader.GetString()!;
        var why = pairCodes.Validate(code);
        return why is null
            ? new InboundDecision.Forward(new ClientPair(session, new(code))) { JoinToken = joinToken }
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

    private static InboundDecision OptIn(ReadOnlySpan<byte> payload, SessionId session)
    {
        const string shape = "session: data must be {\"resume\": true}";
        var fields = ReadObject(payload);
        return fields is not null && fields.TryGetValue("resume", out var resume) && resume is true
            ? new InboundDecision.Forward(new ClientOptIn(session))
            : InboundDecision.Error(BadMessage, shape);
    }

    private static InboundDecision Ack(ReadOnlySpan<byte> payload, SessionId session)
    {
        const string shape = "ack: data must be {\"seq\": positive integer}";
        var fields = ReadObject(payload);
        return fields is not null && fields.TryGetValue("seq", out var seq) && seq is long n && n > 0
            ? new InboundDecision.Forward(new ClientAck(session, n))
            : InboundDecision.Error(BadMessage, shape);
    }

    private static InboundDecision Resume(ReadOnlySpan<byte> payload)
    {
        const string shape = "resume: data must be {\"token\": string, \"seq\": integer >= 0}";
        var fields = ReadObject(payload);
        return fields is not null && fields.TryGetValue("token", out var token) && token is string t
               && fields.TryGetValue("seq", out var seq) && seq is long n && n >= 0
            ? new InboundDecision.Resume(t, n)
            : InboundDecision.Error(BadMessage, shape);
    }

    /// <summary>
    /// The top-level fields of a small object: strings, booleans and integers (other values are
    /// skipped). Null when <paramref name="payload"/> is not an object.
    /// </summary>
    private static Dictionary<string, object>? ReadObject(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty) return null;
        var reader = new Utf8JsonReader(payload, ReaderOptions);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject) return null;
        var fields = new Dictionary<string, object>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            object? value = reader.TokenType switch
            {
                JsonTokenType.String => reader.GetString(),
                JsonTokenType.True => true,
                JsonTokenType.False => false,
                JsonTokenType.Number when reader.TryGetInt64(out var n) => n,
                _ => null,
            };
            if (value is not null) fields[name] = value;
            reader.Skip();
        }
        return fields;
    }

    /// <summary>
    /// Finds <c>type</c>, the byte ranges of <c>data</c> and <c>token</c> (empty when absent) and
    /// <c>seq</c> (0 when absent, -1 when not a positive integer); throws on invalid JSON.
    /// </summary>
    private static bool TryReadEnvelope(ReadOnlySpan<byte> frame, out WireType type, out string? typeName,
        out Range data, out Range token, out long seq, out string? problem)
    {
        type = WireType.None;
        typeName = null;
        data = default;
        token = default;
        seq = 0;
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
            else if (reader.ValueTextEquals("token"u8))
            {
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                token = start..(int)reader.BytesConsumed;
            }
            else if (reader.ValueTextEquals("seq"u8))
            {
                reader.Read();
                seq = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var n) && n > 0 ? n : -1;
                reader.Skip();
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
        : reader.ValueTextEquals("ack"u8) ? WireType.Ack
        : reader.ValueTextEquals("session"u8) ? WireType.Session
        : reader.ValueTextEquals("resume"u8) ? WireType.Resume
        : WireType.Unknown;

    private static string Truncate(string s) => s.Length <= MaxTypeEcho ? s : s[..MaxTypeEcho] + "…";

    private enum WireType { None, Unknown, Pair, Data, Signal, Connect, Leave, RtcStatus, Ack, Session, Resume }
}
