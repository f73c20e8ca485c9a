using System.Runtime.Serialization;
using System.Text;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Serialization;
using SocketPeer.Actors.Sessions;

namespace SocketPeer.Actors.Tests.Serialization;

/// <summary>
/// <c>PR</c> and <c>PA</c> are written into a span and read from one, but their bytes are what the
/// stream writer of the release before wrote (kept here as it was), so they keep their manifests and
/// nodes of both releases read each other's relays during a rolling update.
/// </summary>
public sealed class RelayWireFormatTests : TestKit
{
    private readonly SocketPeerSerializer _serializer;

    public RelayWireFormatTests() => _serializer = new SocketPeerSerializer((ExtendedActorSystem)Sys);

    public static TheoryData<string> Relays() => [.. RelaySamples().Keys];

    private static Dictionary<string, PartnerRelay> RelaySamples() => new()
    {
        ["empty payload"] = new(Id('a'), Id('b'), new PairCode("c"), RelayKind.Connect, []),
        ["one-byte length"] = new(Id('a'), Id('b'), new PairCode("room-1"), RelayKind.Data, Bytes(127), 1),
        ["two-byte length"] = new(Id('a'), Id('b'), new PairCode("room-1"), RelayKind.Signal, Bytes(128), 2, 3, 4),
        ["three-byte length"] = new(Id('a'), Id('b'), new PairCode("ünïcode-code/42"), RelayKind.Data, Bytes(16384), long.MaxValue, long.MinValue, -1),
        ["long code"] = new(Id('a'), Id('b'), new PairCode(new string('é', 200)), RelayKind.Data, Bytes(300), 1L << 40, 7, 9),
        ["empty strings"] = new(new SessionId(""), new SessionId(""), new PairCode(""), RelayKind.Data, Bytes(1)),
    };

    [Theory]
    [MemberData(nameof(Relays))]
    public void A_relay_is_written_as_the_stream_writer_wrote_it_and_its_bytes_read_back(string name)
    {
        var relay = RelaySamples()[name];
        var old = OldWriter(w =>
        {
            w.Write(relay.Session.Value); w.Write(relay.From.Value); w.Write(relay.Code.Value); w.Write((byte)relay.Kind);
            w.Write7BitEncodedInt(relay.Payload.Length); w.Write(relay.Payload);
            w.Write(relay.Seq); w.Write(relay.FromAttempt); w.Write(relay.ToAttempt);
        });

        Assert.Equal(old, _serializer.ToBinary(relay));
        Assert.Equal("PR", _serializer.Manifest(relay));
        MessageSamples.AssertSameFields(relay, _serializer.FromBinary(old, "PR"));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(77L)]
    [InlineData(long.MaxValue)]
    [InlineData(-5L)]
    public void An_ack_is_written_as_the_stream_writer_wrote_it_and_its_bytes_read_back(long seq)
    {
        var ack = new PartnerAck(Id('a'), new SessionId("ünï"), seq);
        var old = OldWriter(w => { w.Write(ack.Session.Value); w.Write(ack.From.Value); w.Write(ack.Seq); });

        Assert.Equal(old, _serializer.ToBinary(ack));
        Assert.Equal("PA", _serializer.Manifest(ack));
        Assert.Equal(ack, _serializer.FromBinary(old, "PA"));
    }

    [Fact]
    public void Text_that_is_not_valid_utf16_is_written_as_the_stream_writer_wrote_it()
    {
        // A lone surrogate: both encoders write the replacement character; nothing real sends one.
        var relay = new PartnerRelay(new SessionId("a\ud800b"), Id('b'), new PairCode("\udc00"), RelayKind.Data, Bytes(3));
        var old = OldWriter(w =>
        {
            w.Write(relay.Session.Value); w.Write(relay.From.Value); w.Write(relay.Code.Value); w.Write((byte)relay.Kind);
            w.Write7BitEncodedInt(relay.Payload.Length); w.Write(relay.Payload);
            w.Write(relay.Seq); w.Write(relay.FromAttempt); w.Write(relay.ToAttempt);
        });

        Assert.Equal(old, _serializer.ToBinary(relay));
    }

    [Fact]
    public void A_relay_of_the_release_before_the_attempts_reads_them_as_zero()
    {
        var relay = RelaySamples()["two-byte length"];
        var bytes = _serializer.ToBinary(relay);

        var older = _serializer.FromBinary(bytes[..^16], "PR");

        MessageSamples.AssertSameFields(relay with { FromAttempt = 0, ToAttempt = 0 }, older);
    }

    [Fact]
    public void A_relay_writes_no_more_than_its_bytes()
    {
        var relay = RelaySamples()["two-byte length"];
        _serializer.ToBinary(relay); // warm up

        var before = GC.GetAllocatedBytesForCurrentThread();
        var bytes = _serializer.ToBinary(relay);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // The array itself (its header is 24 bytes on 64-bit), nothing else: no stream, no writer.
        Assert.True(allocated <= bytes.Length + 32, $"allocated {allocated} bytes for {bytes.Length}");
    }

    [Theory]
    [MemberData(nameof(Relays))]
    public void Damaged_relays_are_read_or_refused_as_the_stream_reader_did(string name)
    {
        var bytes = _serializer.ToBinary(RelaySamples()[name]);

        foreach (var damaged in Damaged(bytes, name))
            AssertReadAsTheStreamReaderDid(damaged, "PR", OldReadRelay);
    }

    [Fact]
    public void Damaged_acks_are_read_or_refused_as_the_stream_reader_did()
    {
        var bytes = _serializer.ToBinary(new PartnerAck(Id('a'), new SessionId("ünï"), 77));

        foreach (var damaged in Damaged(bytes, "ack"))
            AssertReadAsTheStreamReaderDid(damaged, "PA", OldReadAck);
    }

    /// <summary>Every truncation, then corruptions of one to three bytes (repeatable per sample).</summary>
    private static IEnumerable<byte[]> Damaged(byte[] bytes, string seed)
    {
        for (var length = 0; length < bytes.Length; length++) yield return bytes[..length];
        var random = new Random(seed.GetHashCode(StringComparison.Ordinal));
        for (var i = 0; i < 300; i++)
        {
            var corrupted = bytes.ToArray();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
                corrupted[random.Next(corrupted.Length)] = (byte)random.Next(256);
            yield return corrupted;
        }
    }

    /// <summary>Both read the same message, or both refuse (the serializer with a <see cref="SerializationException"/>).</summary>
    private void AssertReadAsTheStreamReaderDid(byte[] bytes, string manifest, Func<BinaryReader, object> oldRead)
    {
        object? expected;
        try
        {
            using var r = new BinaryReader(new MemoryStream(bytes, writable: false), StrictUtf8);
            expected = oldRead(r);
        }
        catch (Exception e) when (e is EndOfStreamException or FormatException or ArgumentException or SerializationException)
        {
            expected = null;
        }

        if (expected is null)
            Assert.Throws<SerializationException>(() => _serializer.FromBinary(bytes, manifest));
        else
            MessageSamples.AssertSameFields(expected, _serializer.FromBinary(bytes, manifest));
    }

    // The stream reader of the release before, kept here as it was, with its checks.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static PartnerRelay OldReadRelay(BinaryReader r) =>
        new(new SessionId(OldText(r)), new SessionId(OldText(r)), new PairCode(OldText(r)), OldKind(r.ReadByte()),
            r.ReadBytes(OldLength(r)), r.ReadInt64(), OldOptionalInt64(r), OldOptionalInt64(r));

    private static PartnerAck OldReadAck(BinaryReader r) =>
        new(new SessionId(OldText(r)), new SessionId(OldText(r)), r.ReadInt64());

    private static string OldText(BinaryReader r) => StrictUtf8.GetString(r.ReadBytes(OldLength(r)));

    private static int OldLength(BinaryReader r)
    {
        var length = r.Read7BitEncodedInt();
        if (length < 0 || length > r.BaseStream.Length - r.BaseStream.Position) throw new SerializationException("length");
        return length;
    }

    private static long OldOptionalInt64(BinaryReader r) => r.BaseStream.Position < r.BaseStream.Length ? r.ReadInt64() : 0;

    private static RelayKind OldKind(byte value) =>
        Enum.IsDefined((RelayKind)value) ? (RelayKind)value : throw new SerializationException("kind");

    private static byte[] OldWriter(Action<BinaryWriter> write)
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream)) write(w); // as the serializer of the release before made it
        return stream.ToArray();
    }

    private static SessionId Id(char c) => new(new string(c, SessionId.Length));

    private static byte[] Bytes(int length) => Enumerable.Range(0, length).Select(i => (byte)(i * 7)).ToArray();
}
