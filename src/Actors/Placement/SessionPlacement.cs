namespace SocketPeer.Actors.Placement;

/// <summary>Where a session's shard lives (docs/architecture.md section 6, <c>SocketPeer:Cluster:SessionPlacement</c>).</summary>
public enum SessionPlacement
{
    /// <summary>
    /// On the node that holds the session's socket: the session id names its node
    /// (<see cref="Sessions.SessionId.NewOn(Akka.Actor.ActorSystem)"/>) and <see cref="LocalSessionAllocationStrategy"/> honours
    /// it. Relay crosses at most one node boundary, and a node's loss strands no live socket's session.
    /// </summary>
    Local,

    /// <summary>
    /// Plain hashing of the id over the shards, balanced over the nodes and rebalanced as nodes join:
    /// for the benchmark's comparison (bench/SocketPeer.Bench, <c>cluster</c> scenario), not supported
    /// in production. Pairing and relay are tested under it; resume and succession only under
    /// <see cref="Local"/>: they read a session's node from its id, which under hashing need not be
    /// where the session lives.
    /// </summary>
    Hash,
}
