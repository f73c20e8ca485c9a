using Akka.Actor;
using SocketPeer.Actors.Serialization;
using SocketPeer.Actors.Sessions;

namespace SocketPeer.Actors.Crossings;

/// <summary>
/// The messages waiting in a batcher for one remote node, in the order they came, and the bounds of a
/// batch: a message that would take the batch past <c>maxBytes</c> closes it first, and the
/// <c>maxMessages</c>-th closes it. A closed batch goes to <c>send</c> at once; <see cref="Flush"/>
/// sends what waits (the batcher calls it when its mailbox has nothing more before it).
/// </summary>
public sealed class CrossingBuffer(int maxMessages, int maxBytes, Action<RelayBatch> send)
{
    /// <summary>
    /// What a ref's path takes in a batch, estimated (<c>akka.tcp://socketpeer@host:port/system/sharding/…#uid</c>):
    /// the bound is about a frame's size, not exact.
    /// </summary>
    internal const int RefBytes = 128;

    /// <summary>An item's indexes and manifest.</summary>
    internal const int ItemOverhead = 8;

    /// <summary>A message other than a relay or an ack (rare on this path), estimated.</summary>
    internal const int OtherMessageBytes = 256;

    private List<IActorRef> _refs = [];
    private List<RelayItem> _items = [];
    private readonly Dictionary<IActorRef, int> _indexes = [];
    private int _bytes;

    public int Count => _items.Count;

    public int Bytes => _bytes;

    public void Add(IActorRef target, IActorRef? sender, IWithSessionId message)
    {
        var size = ItemOverhead + SizeOf(message)
            + (_indexes.ContainsKey(target) ? 0 : RefBytes)
            + (sender is null || _indexes.ContainsKey(sender) ? 0 : RefBytes);
        if (_items.Count > 0 && _bytes + size > maxBytes) Flush();
        _items.Add(new RelayItem(IndexOf(target), sender is null ? RelayItem.NoSender : IndexOf(sender), message));
        _bytes += size;
        if (_items.Count >= maxMessages || _bytes >= maxBytes) Flush();
    }

    /// <summary>Sends what waits as one batch, if anything does.</summary>
    public void Flush()
    {
        if (_items.Count == 0) return;
        var batch = new RelayBatch(_refs, _items);
        _refs = [];
        _items = [];
        _indexes.Clear();
        _bytes = 0;
        send(batch);
    }

    private int IndexOf(IActorRef actor)
    {
        if (_indexes.TryGetValue(actor, out var index)) return index;
        index = _refs.Count;
        _refs.Add(actor);
        _indexes.Add(actor, index);
        return index;
    }

    internal static int SizeOf(IWithSessionId message) => message switch
    {
        PartnerRelay m => SocketPeerSerializer.SizeOf(m),
        PartnerAck m => SocketPeerSerializer.SizeOf(m),
        _ => OtherMessageBytes,
    };
}
