using Akka.Actor;

namespace SocketPeer.Actors.Placement;

/// <summary>
/// The placement rule of <see cref="SessionPlacement.Local"/> (docs/architecture.md section 6), without Akka
/// around it: a session shard goes to the node its id names; when that node is gone or leaving, to
/// the region that asked (the node the message came from: usually the one that holds the socket, for
/// a resumed session the one that holds the new socket); failing that, to the least busy region.
/// </summary>
public static class LocalPlacementRule
{
    public static IActorRef Choose(string shardId, IActorRef requester, IReadOnlyList<RegionCandidate> regions)
    {
        if (regions.Count == 0)
            throw new ArgumentException("no region to place a shard on", nameof(regions));
        var node = LocalSessionMessageExtractor.NodeOf(shardId);
        RegionCandidate? named = null, asking = null, leastBusy = null;
        foreach (var candidate in regions)
        {
            if (!candidate.Available) continue;
            if (named is null && candidate.Node?.Value == node) named = candidate;
            if (candidate.Region.Equals(requester)) asking = candidate;
            if (leastBusy is null || candidate.Shards < leastBusy.Shards) leastBusy = candidate;
        }
        return (named ?? asking ?? leastBusy ?? regions[0]).Region;
    }
}
