using Akka.Cluster.Sharding;
using Akka.Util;
using SocketPeer.Actors.Sessions;

namespace SocketPeer.Actors.Placement;

/// <summary>
/// Session shard ids for <see cref="SessionPlacement.Local"/>: <c>{node key}-{bucket}</c>, so that a
/// shard holds sessions of one node only, and the allocation strategy can read from the shard id which
/// node that is. An id that names no node goes to <c>any-{bucket}</c>, placed where it is first used.
/// </summary>
public sealed class LocalSessionMessageExtractor(int shardsPerNode) : IMessageExtractor
{
    /// <summary>Shard ids for sessions that name no node.</summary>
    public const string Unplaced = "any";

    public const char Separator = '-';

    public string? EntityId(object message) => message is IWithSessionId m ? m.Session.Value : null;

    public object? EntityMessage(object message) => message;

    public string ShardId(object message) => ShardId(EntityId(message)!, message);

    public string ShardId(string entityId, object? messageHint = null)
    {
        var bucket = Math.Abs(MurmurHash.StringHash(entityId) % shardsPerNode);
        var node = new SessionId(entityId).Node?.Value ?? Unplaced;
        return string.Concat(node, Separator.ToString(), bucket.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>The node key a shard id names (<c>any</c> for unplaced sessions).</summary>
    public static string NodeOf(string shardId)
    {
        var separator = shardId.IndexOf(Separator);
        return separator < 0 ? shardId : shardId[..separator];
    }
}
