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

    private static byte[] OldWriter(Action<BinaryWriter> write)
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream)) write(w); // as the serializer of the release before made it
        return stream.ToArray();
    }

    private static SessionId Id(char c) => new(new string(c, SessionId.Length));

    private static byte[] Bytes(int length) => Enumerable.Range(0, length).Select(i => (byte)(i * 7)).ToArray();
}
