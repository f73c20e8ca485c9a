using Akka.Actor;

namespace SocketPeer.Actors.Placement;

/// <summary>A shard region as the placement rule sees it: which node incarnation it runs on and how busy it is.</summary>
/// <param name="Node">The key of its node, or null when its member is unknown (already removed).</param>
/// <param name="Available">Its member is joining or up: not leaving, exiting or down.</param>
public sealed record RegionCandidate(IActorRef Region, NodeKey? Node, bool Available, int Shards);
