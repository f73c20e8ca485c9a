using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Sessions;

namespace SocketPeer.Actors.Serialization;

/// <summary>
/// The two messages of the relay's hot path, <c>PR</c> and <c>PA</c>, written into an exact-size
/// array and read from the received span: no stream, writer or reader per message. The bytes are
/// the ones the stream writer wrote for them, field by field (tests compare both), so the manifests
/// stay and nodes of the release before read them as they always did.
/// </summary>
public sealed partial class SocketPeerSerializer
{
    /// <summary>Session, from, code, kind, payload, seq, and the pairing's two attempts (appended later: optional on read).</summary>
    internal static int SizeOf(PartnerRelay m) =>
        SpanWriter.SizeOf(m.Session.Value) + SpanWriter.SizeOf(m.From.Value) + SpanWriter.SizeOf(m.Code.Value) + 1
        + SpanWriter.SizeOfBytes(m.Payload.Length) + 3 * sizeof(long);

    internal static void Write(ref SpanWriter w, PartnerRelay m)
    {
        w.Write(m.Session.Value); w.Write(m.From.Value); w.Write(m.Code.Value); w.Write((byte)m.Kind);
        w.WriteBytes(m.Payload); w.Write(m.Seq); w.Write(m.FromAttempt); w.Write(m.ToAttempt);
    }

    internal static PartnerRelay ReadRelay(ref SpanReader r) =>
        new(new SessionId(r.ReadText()), new SessionId(r.ReadText()), new PairCode(r.ReadText()), Known<RelayKind>(r.ReadByte()),
            r.ReadBytes(), r.ReadInt64(), r.OptionalInt64(), r.OptionalInt64());

    /// <summary>Session, from, seq.</summary>
    internal static int SizeOf(PartnerAck m) =>
        SpanWriter.SizeOf(m.Session.Value) + SpanWriter.SizeOf(m.From.Value) + sizeof(long);

    internal static void Write(ref SpanWriter w, PartnerAck m)
    {
        w.Write(m.Session.Value); w.Write(m.From.Value); w.Write(m.Seq);
    }

    internal static PartnerAck ReadAck(ref SpanReader r) =>
        new(new SessionId(r.ReadText()), new SessionId(r.ReadText()), r.ReadInt64());

    private static byte[] RelayBinary(PartnerRelay m)
    {
        var bytes = new byte[SizeOf(m)];
        var w = new SpanWriter(bytes);
        Write(ref w, m);
        return bytes;
    }

    private static byte[] AckBinary(PartnerAck m)
    {
        var bytes = new byte[SizeOf(m)];
        var w = new SpanWriter(bytes);
        Write(ref w, m);
        return bytes;
    }

    private static PartnerRelay ReadRelay(byte[] bytes)
    {
        var r = new SpanReader(bytes);
        return ReadRelay(ref r);
    }

    private static PartnerAck ReadAck(byte[] bytes)
    {
        var r = new SpanReader(bytes);
        return ReadAck(ref r);
    }
}
