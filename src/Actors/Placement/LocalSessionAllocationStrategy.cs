using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;

namespace SocketPeer.Actors.Placement;

/// <summary>
/// Allocates session shards by <see cref="LocalPlacementRule"/>: on the node their ids name, else on
/// the node that asked. Never rebalances: a session belongs with its socket, and a shard that had to
/// move (its node left) serves sessions whose sockets are gone or moved too.
/// </summary>
public sealed class LocalSessionAllocationStrategy : IActorSystemDependentAllocationStrategy
{
    private static readonly IImmutableSet<string> NothingToRebalance = ImmutableHashSet<string>.Empty;
    private Akka.Cluster.Cluster? _cluster;

    public void Start(ActorSystem system) => _cluster = Akka.Cluster.Cluster.Get(system);

    public Task<IActorRef> AllocateShard(IActorRef requester, string shardId,
        IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations)
    {
        var cluster = _cluster ?? throw new InvalidOperationException("the coordinator did not start the strategy");
        var members = cluster.State.Members.ToDictionary(m => m.Address);
        var candidates = new List<RegionCandidate>(currentShardAllocations.Count);
        foreach (var (region, shards) in currentShardAllocations)
        {
            var address = region.Path.Address.HasLocalScope ? cluster.SelfAddress : region.Path.Address;
            members.TryGetValue(address, out var member);
            candidates.Add(new RegionCandidate(region,
                member is null ? null : NodeKey.Of(member.UniqueAddress),
                member?.Status is MemberStatus.Up or MemberStatus.WeaklyUp or MemberStatus.Joining,
                shards.Count));
        }
        return Task.FromResult(LocalPlacementRule.Choose(shardId, requester, candidates));
    }

    public Task<IImmutableSet<string>> Rebalance(
        IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations,
        IImmutableSet<string> rebalanceInProgress) => Task.FromResult(NothingToRebalance);
}
