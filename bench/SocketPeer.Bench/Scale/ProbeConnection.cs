using Akka.Actor;
using SocketPeer.Actors.Sessions;
using SocketPeer.Bench.Client;
using SocketPeer.Bench.Measurement;

namespace SocketPeer.Bench.Scale;

/// <summary>
/// What a session of the actor-layer benchmark takes for its connection: an actor ref without an
/// actor (as the gateway's outbox is), that keeps only what the benchmark reads: where its entity is,
/// whether it was paired, and each relayed message's sequence number and latency. Nothing is queued or
/// written; <see cref="SessionAck"/>s are not counted (at the benchmark's rate per pair, 2.5 messages a
/// second each way, a window of 8 in flight never fills).
/// </summary>
public sealed class ProbeConnection(IActorRefProvider provider, SessionId id, ActorLayerSink sink) : MinimalActorRef
{
    public override ActorPath Path { get; } = provider.TempPath();
    public override IActorRefProvider Provider => provider;

    public SessionId Id { get; } = id;
    /// <summary>The session entity, once it said where it is; messages go to it directly from then on, as the gateway's do.</summary>
    public IActorRef? Entity { get; private set; }
    public bool Paired { get; private set; }
    /// <summary>The flow that sends to this connection while a relay runs.</summary>
    public volatile ActorFlow? Incoming;

    protected override void TellInternal(object message, IActorRef sender)
    {
        switch (message)
        {
            case SessionLocation location:
                Entity = location.Session;
                sink.Located();
                break;
            case PeerFoundNotice:
                if (Paired) break;
                Paired = true;
                sink.PeerFound();
                break;
            case RelayedNotice relayed:
                var now = Stamp.Now;
                if (Incoming is { } flow && Stamp.TryRead(relayed.Payload, out var seq, out var sent, out _)) flow.Received(seq, sent, now, sink.Window);
                else sink.Unexpected();
                break;
        }
    }
}

/// <summary>What every probe reports to: counts the benchmark waits on, and the current relay window.</summary>
public sealed class ActorLayerSink
{
    private int _located;
    private int _paired;
    private long _unexpected;

    public volatile RelayWindow Window = new(long.MaxValue, long.MaxValue, new LatencyHistogram());

    public int LocatedCount => Volatile.Read(ref _located);
    public int PairedCount => Volatile.Read(ref _paired);
    public long UnexpectedCount => Interlocked.Read(ref _unexpected);

    public void Located() => Interlocked.Increment(ref _located);
    public void PeerFound() => Interlocked.Increment(ref _paired);
    public void Unexpected() => Interlocked.Increment(ref _unexpected);
}

/// <summary>A relay window in this process's <see cref="Stamp.Now"/> time, and the latencies of receipts inside it.</summary>
public sealed record RelayWindow(long Start, long End, LatencyHistogram Latency);

/// <summary>
/// One direction of one pair in the actor layer: numbered, stamped <see cref="ClientRelay"/>s from the
/// sender's session to the receiver's probe, sent on the open-loop schedule (stamped with the scheduled
/// time, so a late send counts as latency). Each message is a fresh array: the session keeps it.
/// </summary>
public sealed class ActorFlow(ProbeConnection sender, MessageTemplate template)
{
    private long _slotStart;
    private double _slotInterval;
    private double _slotPhase;

    public SequenceTracker Seen { get; } = new();
    public long NextSeq { get; private set; }
    public long ReceivedInWindow;

    public void UseSchedule(long start, double interval, double phase)
    {
        _slotStart = start;
        _slotInterval = interval;
        _slotPhase = phase;
    }

    /// <summary>From the scheduler thread: sends every message owed up to <paramref name="slot"/> (a Tell never blocks).</summary>
    public void Due(long slot)
    {
        while (NextSeq <= slot)
        {
            template.Fill(NextSeq, _slotStart + (long)((NextSeq + _slotPhase) * _slotInterval));
            sender.Entity!.Tell(new ClientRelay(sender.Id, RelayKind.Data, template.Bytes.ToArray()), sender);
            NextSeq++;
        }
    }

    /// <summary>From the receiver's session thread (one at a time for a flow).</summary>
    public void Received(long seq, long sent, long now, RelayWindow window)
    {
        Seen.Saw(seq);
        if (now < window.Start || now >= window.End) return;
        ReceivedInWindow++;
        window.Latency.Record(now - sent);
    }
}
