using SocketPeer.Actors.Sessions;
using SocketPeer.Gateway.Ingress;

namespace SocketPeer.Gateway.Tests.Unit;

/// <summary>
/// A lane's queue: in order, bounded, and a parked reader woken exactly once per park, by the writer
/// of the next item or by the end.
/// </summary>
public sealed class LaneQueueTests
{
    [Fact]
    public void Items_are_read_in_the_order_written_up_to_the_capacity()
    {
        var queue = new LaneQueue(capacity: 2);

        Assert.True(queue.TryWrite(Item(1)));
        Assert.True(queue.TryWrite(Item(2)));
        Assert.False(queue.TryWrite(Item(3)));

        Assert.True(queue.TryRead(out var first));
        Assert.True(queue.TryRead(out var second));
        Assert.False(queue.TryRead(out _));
        Assert.Equal([1L, 2L], [Attempt(first), Attempt(second)]);
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void A_parked_reader_is_woken_once_by_the_next_write()
    {
        var queue = new LaneQueue(capacity: 4);
        var wakes = 0;

        Assert.True(queue.Park(() => wakes++));
        Assert.Equal(0, wakes);
        queue.TryWrite(Item(1));
        queue.TryWrite(Item(2));

        Assert.Equal(1, wakes);
    }

    [Fact]
    public void A_reader_does_not_park_on_a_queue_that_holds_an_item()
    {
        var queue = new LaneQueue(capacity: 4);
        queue.TryWrite(Item(1));
        var wakes = 0;

        Assert.False(queue.Park(() => wakes++));
        queue.TryWrite(Item(2));

        Assert.Equal(0, wakes); // it took its park back: nobody wakes it, it reads again instead
    }

    [Fact]
    public void Completing_wakes_a_parked_reader_and_fails_later_writes()
    {
        var queue = new LaneQueue(capacity: 4);
        var wakes = 0;
        queue.Park(() => wakes++);

        queue.Complete();

        Assert.Equal(1, wakes);
        Assert.True(queue.IsCompleted);
        Assert.False(queue.TryWrite(Item(1)));
        Assert.False(queue.Park(() => wakes++));
    }

    [Fact]
    public async Task A_writer_waits_for_room_and_writes_once_an_item_is_read()
    {
        var queue = new LaneQueue(capacity: 1);
        queue.TryWrite(Item(1));

        var waiting = queue.WriteAsync(Item(2), CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);
        Assert.True(queue.TryRead(out _));

        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(queue.TryRead(out var second));
        Assert.Equal(2, Attempt(second));
    }

    [Fact]
    public async Task A_waiting_writer_is_told_false_when_the_queue_completes()
    {
        var queue = new LaneQueue(capacity: 1);
        queue.TryWrite(Item(1));
        var waiting = queue.WriteAsync(Item(2), CancellationToken.None).AsTask();

        queue.Complete();

        Assert.False(await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Every_write_that_reported_success_is_there_for_the_drain_after_completion()
    {
        // The stop completes the queue and then drains it while sockets still write (a socket's last
        // word among them): a write that said "queued" must not land after the drain.
        for (var round = 0; round < 200; round++)
        {
            var queue = new LaneQueue(capacity: 1_000_000);
            var accepted = new int[2];
            using var start = new Barrier(3);
            var writers = Enumerable.Range(0, 2).Select(w => Task.Run(() =>
            {
                start.SignalAndWait();
                for (var i = 0; i < 5_000 && queue.TryWrite(Item(i)); i++) accepted[w]++;
            })).ToArray();
            start.SignalAndWait();
            Thread.SpinWait(round * 50);
            queue.Complete();
            var drained = 0;
            while (queue.TryRead(out _)) drained++;
            await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(10));

            Assert.Equal(accepted.Sum(), drained);
            Assert.False(queue.TryRead(out _));
        }
    }

    [Fact]
    public async Task Under_concurrent_writers_every_item_is_read_once_and_each_writer_in_order()
    {
        // Four writers against a reader that parks whenever the queue runs dry, as the lane's stage does;
        // a lost wake would leave items unread, a double wake would read past a park.
        const int writers = 4, perWriter = 20_000;
        var queue = new LaneQueue(capacity: 64);
        var lastSeen = new long[writers];
        var read = 0;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new object();
        int parks = 0, wakes = 0;

        void Drain()
        {
            lock (gate)
            {
                while (true)
                {
                    while (queue.TryRead(out var item))
                    {
                        var writer = (int)((WaitingForPeer)item.Message).Attempt / perWriter;
                        var seq = ((WaitingForPeer)item.Message).Attempt % perWriter;
                        Assert.Equal(lastSeen[writer], seq); // in order per writer, none twice
                        lastSeen[writer] = seq + 1;
                        if (++read == writers * perWriter) done.TrySetResult();
                    }
                    if (!queue.Park(() => { Interlocked.Increment(ref wakes); Task.Run(Drain); })) continue;
                    parks++;
                    return;
                }
            }
        }

        Drain();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < perWriter; i++)
                Assert.True(await queue.WriteAsync(Item(w * perWriter + i), CancellationToken.None));
        }))).WaitAsync(TimeSpan.FromSeconds(60));

        await done.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.All(lastSeen, seen => Assert.Equal(perWriter, seen));
        lock (gate) Assert.Equal(parks - 1, Volatile.Read(ref wakes)); // every park woken once, but the last
    }

    private static IngressItem Item(long attempt) =>
        new(null!, new WaitingForPeer(new SessionId("s"), new Actors.Rooms.PairCode("code"), attempt), IsLast: false);

    private static long Attempt(IngressItem item) => ((WaitingForPeer)item.Message).Attempt;
}
