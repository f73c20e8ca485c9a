using Akka.Actor;
using Akka.TestKit.Xunit2;
using SocketPeer.Actors.Crossings;
using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Sessions;

namespace SocketPeer.Actors.Tests.Crossings;

public sealed class CrossingBufferTests : TestKit
{
    private readonly List<RelayBatch> _sent = [];
    private readonly IActorRef _alice;
    private readonly IActorRef _bob;
    private readonly IActorRef _carol;

    public CrossingBufferTests()
    {
        _alice = CreateTestProbe("alice").Ref;
        _bob = CreateTestProbe("bob").Ref;
        _carol = CreateTestProbe("carol").Ref;
    }

    private CrossingBuffer Buffer(int maxMessages = 64, int maxBytes = 32 * 1024) => new(maxMessages, maxBytes, _sent.Add);

    [Fact]
    public void Nothing_is_sent_until_a_flush_and_then_everything_in_one_batch()
    {
        var buffer = Buffer();
        buffer.Add(_bob, _alice, Relay("a", 1));
        buffer.Add(_alice, _bob, Ack("b", 1));

        Assert.Empty(_sent);
        buffer.Flush();

        var batch = Assert.Single(_sent);
        Assert.Equal(2, batch.Items.Count);
        Assert.Equal(0, buffer.Count);
        Assert.Equal(0, buffer.Bytes);
    }

    [Fact]
    public void A_flush_with_nothing_waiting_sends_nothing()
    {
        var buffer = Buffer();
        buffer.Flush();
        buffer.Add(_bob, _alice, Relay("a", 1));
        buffer.Flush();
        buffer.Flush();

        Assert.Single(_sent);
    }

    [Fact]
    public void Each_senders_messages_to_each_partner_keep_their_order_across_batches()
    {
        var buffer = Buffer(maxMessages: 7);
        for (var seq = 1; seq <= 50; seq++)
        {
            buffer.Add(_bob, _alice, Relay("alice", seq));
            buffer.Add(_carol, _alice, Relay("alice", seq));
            buffer.Add(_alice, _bob, Relay("bob", seq));
            if (seq % 11 == 0) buffer.Flush();
        }
        buffer.Flush();

        var delivered = _sent.SelectMany(Delivered).ToList();
        Assert.Equal(150, delivered.Count);
        foreach (var (target, sender) in new[] { (_bob, _alice), (_carol, _alice), (_alice, _bob) })
            Assert.Equal(Enumerable.Range(1, 50).Select(i => (long)i),
                delivered.Where(d => d.Target.Equals(target) && d.Sender!.Equals(sender)).Select(d => ((PartnerRelay)d.Message).Seq));
    }

    [Fact]
    public void Each_distinct_ref_is_in_a_batch_once_and_items_name_their_target_and_sender()
    {
        var buffer = Buffer();
        buffer.Add(_bob, _alice, Relay("alice", 1));
        buffer.Add(_bob, _alice, Relay("alice", 2));
        buffer.Add(_alice, _bob, Ack("bob", 2));
        buffer.Add(_carol, null, Ack("nobody", 1));
        buffer.Flush();

        var batch = Assert.Single(_sent);
        Assert.Equal([_bob, _alice, _carol], batch.Refs);
        Assert.Equal([(0, 1), (0, 1), (1, 0), (2, RelayItem.NoSender)], batch.Items.Select(i => (i.Target, i.Sender)));
    }

    [Fact]
    public void A_batch_that_reaches_its_count_is_sent_at_once()
    {
        var buffer = Buffer(maxMessages: 3);
        for (var seq = 1; seq <= 7; seq++) buffer.Add(_bob, _alice, Relay("a", seq));

        Assert.Equal([3, 3], _sent.Select(b => b.Items.Count));
        Assert.Equal(1, buffer.Count);
    }

    [Fact]
    public void A_message_that_would_take_a_batch_past_its_bytes_starts_the_next_one()
    {
        var buffer = Buffer(maxBytes: 2048);
        for (var seq = 1; seq <= 10; seq++) buffer.Add(_bob, _alice, Relay("a", seq, payload: 400));
        buffer.Flush();

        Assert.All(_sent, b => Assert.True(Estimate(b) <= 2048, $"{Estimate(b)} bytes"));
        Assert.True(_sent.Count >= 3);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), _sent.SelectMany(Delivered).Select(d => ((PartnerRelay)d.Message).Seq));
    }

    [Fact]
    public void A_message_larger_than_the_bound_travels_alone()
    {
        var buffer = Buffer(maxBytes: 1024);
        buffer.Add(_bob, _alice, Relay("a", 1));
        buffer.Add(_bob, _alice, Relay("a", 2, payload: 5000));
        buffer.Add(_bob, _alice, Relay("a", 3));
        buffer.Flush();

        Assert.Equal([[1L], [2L], [3L]], _sent.Select(b => b.Items.Select(i => ((PartnerRelay)i.Message).Seq).ToArray()));
    }

    [Fact]
    public void A_batch_sent_is_not_changed_by_what_comes_after()
    {
        var buffer = Buffer();
        buffer.Add(_bob, _alice, Relay("a", 1));
        buffer.Flush();
        buffer.Add(_carol, _bob, Relay("b", 1));
        buffer.Flush();

        Assert.Equal([_bob, _alice], _sent[0].Refs);
        Assert.Single(_sent[0].Items);
        Assert.Equal([_carol, _bob], _sent[1].Refs);
    }

    private static IEnumerable<(IActorRef Target, IActorRef? Sender, IWithSessionId Message)> Delivered(RelayBatch batch) =>
        batch.Items.Select(i => (batch.Refs[i.Target], i.Sender == RelayItem.NoSender ? null : batch.Refs[i.Sender], i.Message));

    private static int Estimate(RelayBatch batch) =>
        batch.Refs.Count * CrossingBuffer.RefBytes + batch.Items.Sum(i => CrossingBuffer.ItemOverhead + CrossingBuffer.SizeOf(i.Message));

    private static PartnerRelay Relay(string from, long seq, int payload = 16) =>
        new(new SessionId("to-" + from), new SessionId(from), new PairCode("code"), RelayKind.Data, new byte[payload], seq);

    private static PartnerAck Ack(string from, long seq) => new(new SessionId("to-" + from), new SessionId(from), seq);
}
