using Akka.Actor;
using Akka.Dispatch;
using Akka.Dispatch.MessageQueues;

namespace SocketPeer.Actors.Mailboxes;

/// <summary>
/// The message queue of a sharded entity (a session or a room): a ring of envelopes under a lock that
/// holds no array at all until the first message, starts at <see cref="InitialCapacity"/> slots and
/// doubles as needed. Akka's default queue is a <c>ConcurrentQueue</c> whose first segment pre-allocates
/// 32 slots (about 1 KB) for every actor, however quiet; an idle entity here costs this object and, once
/// it has had mail, a few slots.
/// A grown ring is dropped when it drains, so a burst does not pin a large array for the rest of an
/// idle entity's life; the initial one is kept, so a steady trickle of messages allocates nothing.
/// FIFO: every enqueue is ordered by the lock, so messages from one sender (and from all senders) leave
/// in the order they were put in. Producers are many (any thread may Tell); the consumer is the one
/// thread running the actor's mailbox, as Akka guarantees.
/// </summary>
public sealed class EntityMessageQueue : IMessageQueue, IUnboundedMessageQueueSemantics
{
    /// <summary>Slots of the first ring: an entity rarely has more than a few messages waiting.</summary>
    public const int InitialCapacity = 4;

    // The lock is this object itself: it is never handed out to anything but its mailbox, which does not
    // lock on it, and a separate lock object would cost as much as the queue.
    private Envelope[]? _slots;
    private int _head;
    private int _count;

    public bool HasMessages => Volatile.Read(ref _count) > 0;

    public int Count => Volatile.Read(ref _count);

    /// <summary>Slots held right now: for tests of the memory this queue keeps.</summary>
    public int Capacity
    {
        get
        {
            lock (this)
                return _slots?.Length ?? 0;
        }
    }

    public void Enqueue(IActorRef receiver, Envelope envelope)
    {
        lock (this)
        {
            var slots = _slots;
            if (slots is null)
                _slots = slots = new Envelope[InitialCapacity];
            else if (_count == slots.Length)
                _slots = slots = Grow(slots);
            var tail = _head + _count;
            if (tail >= slots.Length)
                tail -= slots.Length;
            slots[tail] = envelope;
            Volatile.Write(ref _count, _count + 1);
        }
    }

    public bool TryDequeue(out Envelope envelope)
    {
        // Unlocked look first: the mailbox asks once more after its last message on every run.
        if (Volatile.Read(ref _count) == 0)
        {
            envelope = default;
            return false;
        }
        lock (this)
        {
            var slots = _slots;
            if (_count == 0 || slots is null)
            {
                envelope = default;
                return false;
            }
            envelope = slots[_head];
            slots[_head] = default; // the message must not outlive its delivery through this slot
            var head = _head + 1;
            _head = head == slots.Length ? 0 : head;
            Volatile.Write(ref _count, _count - 1);
            if (_count == 0)
            {
                _head = 0;
                if (slots.Length > InitialCapacity)
                    _slots = null;
            }
            return true;
        }
    }

    public void CleanUp(IActorRef owner, IMessageQueue deadletters)
    {
        while (TryDequeue(out var envelope))
            deadletters.Enqueue(owner, envelope);
    }

    /// <summary>A ring twice the size with the waiting envelopes moved to its start, in order.</summary>
    private Envelope[] Grow(Envelope[] slots)
    {
        var grown = new Envelope[slots.Length * 2];
        var firstRun = slots.Length - _head;
        Array.Copy(slots, _head, grown, 0, firstRun);
        Array.Copy(slots, 0, grown, firstRun, _head);
        _head = 0;
        return grown;
    }
}
