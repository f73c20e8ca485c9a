using System.Runtime.Serialization;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using SocketPeer.Actors.Crossings;
using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Serialization;
using SocketPeer.Actors.Sessions;

namespace SocketPeer.Actors.Tests.Serialization;

/// <summary>A batch (<c>PRB</c>) carries messages to sessions only, and names refs it has.</summary>
public sealed class RelayBatchSerializerTests : TestKit
{
    private readonly SocketPeerSerializer _serializer;

    public RelayBatchSerializerTests() => _serializer = new SocketPeerSerializer((ExtendedActorSystem)Sys);

    [Fact]
    public void Its_items_reach_the_actors_they_name_with_the_senders_they_name()
    {
        var (target, sender) = (CreateTestProbe(), CreateTestProbe());
        var relay = new PartnerRelay(SessionId.New(), SessionId.New(), new PairCode("c"), RelayKind.Data, [1, 2, 3], 1);
        var batch = new RelayBatch([target.Ref, sender.Ref], [new RelayItem(0, 1, relay), new RelayItem(1, RelayItem.NoSender, new PartnerAck(SessionId.New(), SessionId.New(), 1))]);

        var back = (RelayBatch)_serializer.FromBinary(_serializer.ToBinary(batch), _serializer.Manifest(batch));
        back.Refs[back.Items[0].Target].Tell(back.Items[0].Message, back.Refs[back.Items[0].Sender]);

        target.ExpectMsg<PartnerRelay>(m => m.Payload.SequenceEqual(relay.Payload));
        Assert.Equal(sender.Ref, target.LastSender);
        Assert.Equal(RelayItem.NoSender, back.Items[1].Sender);
    }

    [Fact]
    public void A_batch_inside_a_batch_is_refused()
    {
        var bytes = Batch(w => { w.Write7BitEncodedInt(0); w.Write7BitEncodedInt(0); w.Write("PRB"); Body(w, []); });

        var refused = Assert.Throws<SerializationException>(() => _serializer.FromBinary(bytes, "PRB"));
        Assert.Contains("batch inside a batch", refused.Message);
    }

    [Fact]
    public void A_message_that_is_not_for_a_session_is_refused()
    {
        var notice = _serializer.ToBinary(new AckNotice(3));
        var bytes = Batch(w => { w.Write7BitEncodedInt(0); w.Write7BitEncodedInt(0); w.Write("NA"); Body(w, notice); });

        var refused = Assert.Throws<SerializationException>(() => _serializer.FromBinary(bytes, "PRB"));
        Assert.Contains("only messages to sessions", refused.Message);
    }

    [Theory]
    [InlineData(1, 0)] // a target past the table
    [InlineData(0, 2)] // a sender past the table
    public void An_index_past_the_batchs_refs_is_refused(int target, int senderPlusOne)
    {
        var ack = _serializer.ToBinary(new PartnerAck(SessionId.New(), SessionId.New(), 1));
        var bytes = Batch(w => { w.Write7BitEncodedInt(target); w.Write7BitEncodedInt(senderPlusOne); w.Write("PA"); Body(w, ack); });

        Assert.Throws<SerializationException>(() => _serializer.FromBinary(bytes, "PRB"));
    }

    /// <summary>A batch of one ref (this test's actor) and one item written by <paramref name="item"/>.</summary>
    private byte[] Batch(Action<BinaryWriter> item)
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream))
        {
            w.Write7BitEncodedInt(1); w.Write(Akka.Serialization.Serialization.SerializedActorPath(TestActor));
            w.Write7BitEncodedInt(1); item(w);
        }
        return stream.ToArray();
    }

    private static void Body(BinaryWriter w, byte[] body)
    {
        w.Write7BitEncodedInt(body.Length); w.Write(body);
    }
}
