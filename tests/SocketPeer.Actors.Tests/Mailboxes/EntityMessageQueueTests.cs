using Akka.Actor;
using SocketPeer.Actors.Mailboxes;

namespace SocketPeer.Actors.Tests.Mailboxes;

public sealed class EntityMessageQueueTests
{
    private static Envelope Letter(int producer, int sequence) => new((producer, sequence), ActorRefs.NoSender);

    private static List<(int Producer, int Sequence)> Drain(EntityMessageQueue queue)
    {
        var drained = new List<(int, int)>();
        while (queue.TryDequeue(out var envelope))
            drained.Add(((int, int))envelope.Message);
        return drained;
    }

    [Fact]
    public void An_empty_queue_holds_no_slots_until_its_first_message()
    {
        var queue = new EntityMessageQueue();

        Assert.Equal(0, queue.Capacity);
        Assert.False(queue.HasMessages);
        Assert.False(queue.TryDequeue(out _));

        queue.Enqueue(ActorRefs.Nobody, Letter(0, 0));
        Assert.Equal(EntityMessageQueue.InitialCapacity, queue.Capacity);
        Assert.True(queue.HasMessages);
    }

    [Fact]
    public void The_first_ring_is_kept_when_drained_and_a_grown_one_is_let_go()
    {
        var queue = new EntityMessageQueue();
        queue.Enqueue(ActorRefs.Nobody, Letter(0, 0));
        Drain(queue);
        Assert.Equal(EntityMessageQueue.InitialCapacity, queue.Capacity);

        for (var i = 0; i < 3 * EntityMessageQueue.InitialCapacity; i++)
            queue.Enqueue(ActorRefs.Nobody, Letter(0, i));
        Assert.True(queue.Capacity > EntityMessageQueue.InitialCapacity);

        Drain(queue);
        Assert.Equal(0, queue.Capacity);
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void Messages_leave_in_the_order_they_came_across_wrap_and_growth()
    {
        var queue = new EntityMessageQueue();
        var expected = new List<(int, int)>();
        var received = new List<(int, int)>();
        var next = 0;
        // Interleaved in and out, so the head walks round the ring before it grows, and grows while wrapped.
        foreach (var (put, take) in new[] { (3, 2), (3, 2), (5, 1), (9, 4), (1, 20) })
        {
            for (var i = 0; i < put; i++)
            {
                queue.Enqueue(ActorRefs.Nobody, Letter(0, next));
                expected.Add((0, next++));
            }
            for (var i = 0; i < take && queue.TryDequeue(out var envelope); i++)
                received.Add(((int, int))envelope.Message);
            Assert.Equal(expected.Count - received.Count, queue.Count);
        }

        Assert.Equal(expected, received);
        Assert.False(queue.HasMessages);
    }

    [Fact]
    public async Task Many_producers_and_a_concurrent_consumer_lose_nothing_and_keep_each_producers_order()
    {
        const int producers = 8;
        const int perProducer = 20_000;
        var queue = new EntityMessageQueue();
        using var start = new Barrier(producers + 1);
        var producing = Enumerable.Range(0, producers).Select(p => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < perProducer; i++)
                queue.Enqueue(ActorRefs.Nobody, Letter(p, i));
        }, TaskCreationOptions.LongRunning)).ToArray();

        var nextOf = new int[producers];
        var total = 0;
        start.SignalAndWait();
        // The one consumer, as Akka runs a mailbox: it drains whatever is there while the producers write.
        while (total < producers * perProducer)
        {
            if (!queue.TryDequeue(out var envelope))
            {
                Assert.DoesNotContain(producing, t => t.IsFaulted);
                Thread.Yield();
                continue;
            }
            var (producer, sequence) = ((int, int))envelope.Message;
            Assert.Equal(nextOf[producer], sequence);
            nextOf[producer]++;
            total++;
        }

        await Task.WhenAll(producing);
        Assert.All(nextOf, n => Assert.Equal(perProducer, n));
        Assert.Equal(0, queue.Count);
        Assert.False(queue.TryDequeue(out _));
    }

    [Fact]
    public void Count_follows_concurrent_enqueues()
    {
        const int producers = 4;
        const int perProducer = 10_000;
        var queue = new EntityMessageQueue();

        Parallel.For(0, producers, new ParallelOptions { MaxDegreeOfParallelism = producers }, p =>
        {
            for (var i = 0; i < perProducer; i++)
                queue.Enqueue(ActorRefs.Nobody, Letter(p, i));
        });

        Assert.Equal(producers * perProducer, queue.Count);
        var drained = Drain(queue);
        Assert.Equal(producers * perProducer, drained.Count);
        for (var p = 0; p < producers; p++)
            Assert.Equal(Enumerable.Range(0, perProducer), drained.Where(d => d.Producer == p).Select(d => d.Sequence));
    }
}
