using Akka.Cluster.Sharding;
using SocketPeer.Actors.Sessions;

namespace SocketPeer.Actors.Placement;

/// <summary>
/// Routes <see cref="IWithSessionId"/> messages under <see cref="SessionPlacement.Hash"/>: shard ids come
/// from a stable hash of the id, whatever node it names.
/// </summary>
public sealed class HashSessionMessageExtractor(int maxShards) : HashCodeMessageExtractor(maxShards)
{
    public override string? EntityId(object message) => message is IWithSessionId m ? m.Session.Value : null;
}
