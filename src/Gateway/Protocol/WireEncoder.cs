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

    /// <summary>Encodes <paramref name="message"/>; dispose the frame to return its buffer.</summary>
    public static EncodedFrame Encode(IClientMessage message) => message switch
    {
        RelayedNotice { Kind: RelayKind.Connect } => EncodedFrame.Of(Connect),
        RelayedNotice { Payload.Length: 0 } r => EncodedFrame.Of(r.Kind == RelayKind.Data ? DataEmpty : SignalEmpty),
        RelayedNotice r => Relayed(r.Kind == RelayKind.Data ? DataPrefix : SignalPrefix, r.Payload),
        PeerFoundNotice p => EncodedFrame.Of(p.Initiator ? PeerFoundInitiator : PeerFoundWaiter),
        BusyNotice => EncodedFrame.Of(Busy),
        PeerLeftNotice => EncodedFrame.Of(PeerLeft),
        SessionStarted s => Written("session", w => w.WriteString("id", s.Id.Value)),
        ServerErrorNotice e => Written("server.error", w =>
        {
            w.WriteString("code", e.Code);
            w.WriteString("message", e.Message);
        }),
        _ => throw new ArgumentOutOfRangeException(nameof(message), message.GetType(), "no wire form"),
    };

    /// <summary><c>session</c> with the client's ICE servers (and their TURN credential).</summary>
    public static EncodedFrame Session(SessionStarted session, IceServerList ice) => Written("session", w =>
    {
        w.WriteString("id", session.Id.Value);
        ice.WriteTo(w);
    });

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
