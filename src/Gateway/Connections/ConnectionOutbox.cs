using System.Threading.Channels;
using Akka.Actor;
using SocketPeer.Actors.Sessions;

namespace SocketPeer.Gateway.Connections;

/// <summary>
/// The address a session uses for its connection: an actor ref without an actor. What is told to it
/// goes into a bounded queue that the connection's writer drains onto the socket, and
/// <see cref="SessionAck"/>s release the inbound window instead. It is registered as a temporary
/// actor (like the ref behind an <c>Ask</c>), so a session on another node reaches it by its path.
/// </summary>
/// <remarks>
/// An actor per socket (a <c>Source.ActorRef</c> stage, its graph's interpreter) costs ~1.5 KB each
/// plus the materialized graph, and one more mailbox hop per message (docs/benchmarks.md).
/// </remarks>
public sealed class ConnectionOutbox : MinimalActorRef
{
    private readonly IActorRefProvider _provider;
    private readonly Channel<object> _queue;
    private readonly InboundWindow _window;
    private readonly long _maxBytes;
    private long _queuedBytes;
    private int _registered;
    private int _unacknowledged;
    private volatile bool _overflowed;
    private volatile bool _completed;

    /// <summary>
    /// What a queued message other than a relayed payload is counted as: its encoded size is small and
    /// varies little, and counting it keeps a flood of small notices bounded in bytes too.
    /// </summary>
    private const int NoticeBytes = 128;

    /// <param name="maxBytes">queued bytes (relayed payloads) past which the outbox overflows, like past <paramref name="capacity"/> messages.</param>
    public ConnectionOutbox(ActorSystem system, int capacity, int inboundWindow, long maxBytes = long.MaxValue)
    {
        _maxBytes = maxBytes;
        _provider = ((ExtendedActorSystem)system).Provider;
        _queue = Channel.CreateBounded<object>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // never blocks: TryWrite says "full" instead
            SingleReader = true,
            SingleWriter = false,
        });
        _window = new InboundWindow(inboundWindow);
        Path = _provider.TempPath();
        _provider.RegisterTempActor(this, Path);
        _registered = 1;
    }

    public override ActorPath Path { get; }

    public override IActorRefProvider Provider => _provider;

    /// <summary>What the writer sends, in order; completes when the outbox is closed or overflowed.</summary>
    public ChannelReader<object> Queue => _queue.Reader;

    /// <summary>The queue filled: the client does not read what it is sent.</summary>
    public bool Overflowed => _overflowed;

    /// <summary>Bytes queued and not yet taken by the writer.</summary>
    public long QueuedBytes => Interlocked.Read(ref _queuedBytes);

    /// <summary>The next message for the writer, if any; its bytes no longer count against the queue.</summary>
    public bool TryTake(out object message)
    {
        if (!_queue.Reader.TryRead(out message!)) return false;
        Interlocked.Add(ref _queuedBytes, -SizeOf(message));
        return true;
    }

    private static long SizeOf(object message) =>
        message is RelayedNotice r ? r.Payload.Length + NoticeBytes : NoticeBytes;

    /// <summary>Waits for room in the window of messages in flight to the session (its backpressure).</summary>
    public ValueTask WaitForWindowAsync(CancellationToken cancel) => _window.WaitAsync(cancel);

    /// <summary>
    /// Every message told to the session so far has been acknowledged. Counted from <see cref="Told"/>
    /// rather than from the window: the window is taken before a message waits in its ingress lane,
    /// so it also holds messages not told yet.
    /// </summary>
    public bool NothingInFlight => Volatile.Read(ref _unacknowledged) <= 0;

    /// <summary>A message that the session will acknowledge was just told with this outbox as sender.</summary>
    public void Told() => Interlocked.Increment(ref _unacknowledged);

    /// <summary>Gives back a place taken in the window for a message that was never told.</summary>
    public void ReturnWindow() => _window.Release();

    /// <summary>Nothing more will be sent: the writer ends after what is queued.</summary>
    public void Complete()
    {
        _completed = true;
        _queue.Writer.TryComplete();
    }

    protected override void TellInternal(object message, IActorRef sender)
    {
        switch (message)
        {
            case SessionAck:
                Interlocked.Decrement(ref _unacknowledged);
                _window.Release();
                return;
            case PoisonPill:
                Complete();
                return;
        }
        if (_completed) return; // told after the end: dropped
        var size = SizeOf(message);
        if (Interlocked.Add(ref _queuedBytes, size) <= _maxBytes && _queue.Writer.TryWrite(message)) return;
        Interlocked.Add(ref _queuedBytes, -size);
        if (_completed) return;
        _overflowed = true;
        Complete();
    }

    /// <summary>Stops answering to its path; messages still on their way are dropped.</summary>
    public override void Stop()
    {
        Complete();
        if (Interlocked.Exchange(ref _registered, 0) == 1)
            _provider.UnregisterTempActor(Path);
    }
}
