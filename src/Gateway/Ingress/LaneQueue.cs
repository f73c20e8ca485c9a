using System.Collections.Concurrent;

namespace SocketPeer.Gateway.Ingress;

/// <summary>
/// A lane's bounded queue: many sockets' readers write, the lane's graph reads
/// (<see cref="LaneSource"/>), and the stop drains what is left. Lock-free on the way every message
/// takes: a write is an enqueue and a count, and wakes the graph only when it has parked on an empty
/// queue, by calling the graph's callback itself. A bounded <c>Channel</c> took its lock three or four
/// times per message (write, read, the read that finds nothing, the wait), and a lane serves every
/// socket hashed onto it, so those locks were contended (docs/benchmarks.md). Only a writer that finds
/// the queue full waits, on the slow path.
/// </summary>
public sealed class LaneQueue(int capacity)
{
    private readonly ConcurrentQueue<IngressItem> _items = new();
    private readonly Lock _roomLock = new();
    private TaskCompletionSource? _room;
    private Action? _wake;
    private int _count;
    private int _parked;
    // Writers between their check of _completed and their enqueue: Complete waits for them, so that
    // what a write reported queued is still there for the stop's drain (a socket's last word is).
    private int _writing;
    private int _completed;

    public int Capacity => capacity;

    /// <summary>Items queued now (tests).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>True once <see cref="Complete"/> was called: writes fail, the reader ends when the queue is empty.</summary>
    public bool IsCompleted => Volatile.Read(ref _completed) == 1;

    /// <summary>Queues <paramref name="item"/> if there is room; false when full or completed.</summary>
    public bool TryWrite(IngressItem item)
    {
        Interlocked.Increment(ref _writing);
        try
        {
            if (IsCompleted) return false;
            if (Interlocked.Increment(ref _count) > capacity)
            {
                Interlocked.Decrement(ref _count);
                return false;
            }
            _items.Enqueue(item);
        }
        finally
        {
            Interlocked.Decrement(ref _writing);
        }
        WakeReader();
        return true;
    }

    /// <summary>Waits for room and queues <paramref name="item"/>; false once the queue is completed.</summary>
    public async ValueTask<bool> WriteAsync(IngressItem item, CancellationToken cancel)
    {
        while (!TryWrite(item))
        {
            if (IsCompleted) return false;
            Task room;
            lock (_roomLock)
            {
                _room ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                room = _room.Task;
            }
            // The reader may have made room between the failed write and the wait being set up.
            if (Volatile.Read(ref _count) < capacity || IsCompleted) continue;
            await room.WaitAsync(cancel);
        }
        return true;
    }

    /// <summary>Takes the next item (the lane's graph, or the stop's drain).</summary>
    public bool TryRead(out IngressItem item)
    {
        if (!_items.TryDequeue(out item)) return false;
        Interlocked.Decrement(ref _count);
        if (Volatile.Read(ref _room) is not null) SignalRoom();
        return true;
    }

    /// <summary>
    /// The reader found the queue empty: <paramref name="wake"/> is called (once, on a writer's thread,
    /// or on <see cref="Complete"/>'s) when an item arrives. Returns false, and parks nothing, when an
    /// item arrived in the meantime: the reader reads again instead.
    /// </summary>
    public bool Park(Action wake)
    {
        _wake = wake;
        // A full fence, not a volatile write: the emptiness check below must not be read before the
        // flag is visible to writers, or a writer could miss the flag while the check misses its item.
        Interlocked.Exchange(ref _parked, 1);
        // An item written before the flag was seen: take the wake back, or let the writer's stand.
        if (_items.IsEmpty && !IsCompleted) return true;
        return Interlocked.Exchange(ref _parked, 0) == 0;
    }

    /// <summary>
    /// No more writes: waiting writers fail, a parked reader is woken to see the end. Returns once
    /// every write that saw the queue open has queued its item, so a drain after it misses none.
    /// </summary>
    public void Complete()
    {
        // A full fence on both sides (here and the writer's count): either a writer sees the queue
        // completed, or this sees the writer and waits for its enqueue.
        Interlocked.Exchange(ref _completed, 1);
        var wait = new SpinWait();
        while (Volatile.Read(ref _writing) != 0) wait.SpinOnce();
        SignalRoom();
        WakeReader();
    }

    private void WakeReader()
    {
        if (Volatile.Read(ref _parked) == 1 && Interlocked.Exchange(ref _parked, 0) == 1) _wake!();
    }

    private void SignalRoom()
    {
        TaskCompletionSource? room;
        lock (_roomLock)
        {
            room = _room;
            _room = null;
        }
        room?.TrySetResult();
    }
}
