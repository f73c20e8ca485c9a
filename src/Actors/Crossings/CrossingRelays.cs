using System.Collections.Concurrent;
using Akka.Actor;
using SocketPeer.Actors.Diagnostics;
using SocketPeer.Actors.Sessions;

namespace SocketPeer.Actors.Crossings;

/// <summary>
/// One node's batchers, one per remote node a session here has told a partner on (made on first use,
/// gone when that node leaves). Sessions call <see cref="Tell"/> from their own threads.
/// </summary>
public sealed class CrossingRelays(ActorSystem system, RelayBatchingSettings settings, SocketPeerMetrics metrics)
{
    private readonly ConcurrentDictionary<Address, IActorRef> _batchers = new();
    private readonly Lock _starting = new();
    private int _started;

    /// <summary>
    /// <paramref name="message"/> for <paramref name="target"/>, an entity on another node, through
    /// that node's batcher, from <paramref name="sender"/>.
    /// </summary>
    public void Tell(IActorRef target, IWithSessionId message, IActorRef sender)
    {
        if (BatcherFor(target.Path.Address) is { } batcher) batcher.Tell(new CrossingRelay(target, message), sender);
        else target.Tell(message, sender);
    }

    /// <summary>Null once the actor system is shutting down and makes no more actors: then a message goes on its own.</summary>
    internal IActorRef? BatcherFor(Address node)
    {
        if (_batchers.TryGetValue(node, out var batcher)) return batcher;
        lock (_starting)
        {
            if (_batchers.TryGetValue(node, out batcher)) return batcher;
            try
            {
                // A name of its own each time: the name of a batcher that is stopping is not free yet.
                batcher = system.ActorOf(CrossingBatcher.Props(node, settings, this, metrics), $"relay-batcher-{++_started}");
            }
            catch (InvalidOperationException)
            {
                return null; // the user guardian is terminating; an exception here would restart the session
            }
            _batchers[node] = batcher;
            return batcher;
        }
    }

    /// <summary>A batcher stopped (its node left): the next message to that node starts a new one.</summary>
    internal void Forget(Address node, IActorRef batcher) =>
        _batchers.TryRemove(new KeyValuePair<Address, IActorRef>(node, batcher));
}
