using System.Buffers;
using System.Text.Json;
using SocketPeer.Actors.Sessions;
using SocketPeer.Gateway.Ice;

namespace SocketPeer.Gateway.Protocol;

/// <summary>
/// Writes server messages as <c>{"type": string, "data": any}</c> text frames. Relayed messages
/// (the hot path) are three byte copies into a pooled buffer: a constant prefix, the payload as the
/// sender wrote it, and <c>}</c>. Everything else is rare and goes through <see cref="Utf8JsonWriter"/>.
/// </summary>
public static class WireEncoder
{
    private static readonly byte[] DataPrefix = """{"type":"data","data":"""u8.ToArray();
    private static readonly byte[] SignalPrefix = """{"type":"rtc.signal","data":"""u8.ToArray();
    private static readonly byte[] DataEmpty = """{"type":"data"}"""u8.ToArray();
    private static readonly byte[] SignalEmpty = """{"type":"rtc.signal"}"""u8.ToArray();
    private static readonly byte[] Connect = """{"type":"rtc.connect"}"""u8.ToArray();
    private static readonly byte[] Busy = """{"type":"busy"}"""u8.ToArray();
    private static readonly byte[] PeerLeft = """{"type":"peer.left"}"""u8.ToArray();
    private static readonly byte[] PeerFoundInitiator = """{"type":"peer.found","data":{"initiator":true}}"""u8.ToArray();
    private static readonly byte[] PeerFoundWaiter = """{"type":"peer.found","data":{"initiator":false}}"""u8.ToArray();

    /// <summary>
    /// Encodes <paramref name="message"/>, a session's <see cref="IClientMessage"/> or the gateway's own
    /// <see cref="ServerErrorNotice"/>; dispose the frame to return its buffer.
    /// </summary>
    public static EncodedFrame Encode(object message) => message switch
    {
        RelayedNotice { Seq: > 0 } r => Numbered(r),
        RelayedNotice { Kind: RelayKind.Connect } => EncodedFrame.Of(Connect),
        RelayedNotice { Payload.Length: 0 } r => EncodedFrame.Of(r.Kind == RelayKind.Data ? DataEmpty : SignalEmpty),
        RelayedNotice r => Relayed(r.Kind == RelayKind.Data ? DataPrefix : SignalPrefix, r.Payload),
        PeerFoundNotice p => EncodedFrame.Of(p.Initiator ? PeerFoundInitiator : PeerFoundWaiter),
        BusyNotice => EncodedFrame.Of(Busy),
        PeerLeftNotice => EncodedFrame.Of(PeerLeft),
        ResumedNotice r => Written("resumed", w =>
        {
            w.WriteNumber("seq", r.Seq);
            w.WriteString("state", StateName(r.State));
        }),
        AckNotice a => Written("ack", w => w.WriteNumber("seq", a.Seq)),
        RefusedNotice refused => Encode(ServerErrors.For(refused)),
        ServerErrorNotice e => Written("server.error", w =>
        {
            w.WriteString("code", e.Code);
            w.WriteString("message", e.Message);
        }),
        _ => throw new ArgumentOutOfRangeException(nameof(message), message.GetType(), "no wire form"),
    };

    /// <summary><c>resumed</c>'s <c>state</c>: what the client is back in.</summary>
    private static string StateName(ResumeState state) => state switch
    {
        ResumeState.Waiting => "waiting",
        ResumeState.Paired => "paired",
        _ => "idle",
    };

    /// <summary>
    /// <c>session</c> with its signed resume <paramref name="token"/> (if the session issued one) and
    /// the client's ICE servers (and their TURN credential).
    /// </summary>
    public static EncodedFrame Session(SessionStarted session, string? token, IceServerList ice) => Written("session", w =>
    {
        w.WriteString("id", session.Id.Value);
        if (!string.IsNullOrEmpty(token))
        {
            w.WriteString("token", token);
            w.WriteNumber("resumeGrace", session.ResumeGraceSeconds);
        }
        ice.WriteTo(w);
    });

    /// <summary><c>session.token</c> with a signed resume token.</summary>
    public static EncodedFrame Token(string token) => Written("session.token", w => w.WriteString("token", token));

    /// <summary>
    /// A relayed message for a client that resumes: the same bytes as <see cref="Relayed"/> with
    /// <c>,"seq":n</c> before the closing brace (after <c>data</c>, so the payload is still copied as is).
    /// </summary>
    private static EncodedFrame Numbered(RelayedNotice r)
    {
        ReadOnlySpan<byte> head = r.Kind switch
        {
            RelayKind.Connect => """{"type":"rtc.connect","""u8,
            _ when r.Payload.Length == 0 => r.Kind == RelayKind.Data ? """{"type":"data","""u8 : """{"type":"rtc.signal","""u8,
            _ => r.Kind == RelayKind.Data ? DataPrefix : SignalPrefix,
        };
        var withPayload = r.Kind != RelayKind.Connect && r.Payload.Length > 0;
        var length = head.Length + (withPayload ? r.Payload.Length + 1 : 0) + 7 + 20 + 1; // ,"seq": + digits + }
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        var at = 0;
        head.CopyTo(buffer);
        at += head.Length;
        if (withPayload)
        {
            r.Payload.CopyTo(buffer, at);
            at += r.Payload.Length;
            buffer[at++] = (byte)',';
        }
        var seqName = "\"seq\":"u8;
        seqName.CopyTo(buffer.AsSpan(at));
        at += seqName.Length;
        System.Buffers.Text.Utf8Formatter.TryFormat(r.Seq, buffer.AsSpan(at), out var digits);
        at += digits;
        buffer[at++] = (byte)'}';
        return new EncodedFrame(buffer, at, pooled: true);
    }

    private static EncodedFrame Relayed(byte[] prefix, byte[] payload)
    {
        var length = prefix.Length + payload.Length + 1;
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        prefix.CopyTo(buffer, 0);
        payload.CopyTo(buffer, prefix.Length);
        buffer[length - 1] = (byte)'}';
        return new EncodedFrame(buffer, length, pooled: true);
    }

    private static EncodedFrame Written(string type, Action<Utf8JsonWriter> writeData)
    {
        var output = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            writer.WriteString("type", type);
            writer.WriteStartObject("data");
            writeData(writer);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        return new EncodedFrame(output.WrittenMemory.ToArray(), output.WrittenCount, pooled: false);
    }
}

/// <summary>One encoded text frame; returns a pooled buffer on dispose.</summary>
public readonly struct EncodedFrame(byte[] buffer, int length, bool pooled) : IDisposable
{
    public ReadOnlyMemory<byte> Memory => buffer.AsMemory(0, length);

    internal static EncodedFrame Of(byte[] constant) => new(constant, constant.Length, pooled: false);

    public void Dispose()
    {
        if (pooled) ArrayPool<byte>.Shared.Return(buffer);
    }
}
