using Akka.Actor;
using SocketPeer.Actors.Cluster;
using SocketPeer.Actors.Sessions;

namespace SocketPeer.Actors.Placement;

/// <summary>Where a session lives, as far as the cluster's membership can tell (its id names its node).</summary>
public static class SessionNodeStatus
{
    /// <summary>
    /// Whether the node <paramref name="session"/>'s id names is a member that failure detection has
    /// marked unreachable, or whose remoting connection broke and has not come back
    /// (<see cref="LostConnections"/>: a crashed process, seconds before the failure detector says
    /// so). Such a node's shards stay allocated to it until it is downed and removed, so nothing can
    /// reach the session meanwhile. False for reachable and already removed nodes (a removed node's
    /// sessions are rebuilt where they are asked for) and for ids that name no node.
    /// </summary>
    public static bool IsUnreachable(ActorSystem system, SessionId session)
    {
        if (session.Node is not { } node) return false;
        var state = Akka.Cluster.Cluster.Get(system).State;
        var lost = LostConnections.Get(system);
        if (state.Unreachable.Count == 0 && !lost.Any) return false; // every join asks: no hashing then
        foreach (var member in state.Unreachable)
            if (NodeKey.Of(member.UniqueAddress) == node)
                return true;
        foreach (var member in state.Members)
            if (NodeKey.Of(member.UniqueAddress) == node)
                // A member on its way out (leaving, exiting) closes its connections as it goes: that
                // is a graceful stop, whose sessions hand off and answer a resume under their own id.
                return (member.Status is Akka.Cluster.MemberStatus.Up or Akka.Cluster.MemberStatus.WeaklyUp
                    or Akka.Cluster.MemberStatus.Joining) && lost.IsLost(member.Address);
        return false;
    }

    /// <summary>
    /// Whether the node <paramref name="session"/>'s id names is no member of the cluster any more
    /// (removed after a crash, a partition or a leave): its shards move to whichever node asks next.
    /// False for ids that name no node. A session resumed under its id after its node left lives
    /// elsewhere and still answers; this says only where its id was minted.
    /// </summary>
    public static bool IsRemoved(ActorSystem system, SessionId session)
    {
        if (session.Node is not { } node) return false;
        var state = Akka.Cluster.Cluster.Get(system).State;
        foreach (var member in state.Members)
            if (NodeKey.Of(member.UniqueAddress) == node)
                return false;
        foreach (var member in state.Unreachable)
            if (NodeKey.Of(member.UniqueAddress) == node)
                return false;
        return true;
    }

    /// <summary>
    /// Whether <paramref name="entity"/> runs on this node or on a member in good standing: up (or
    /// joining), reachable and connected. A session's entity is rebuilt elsewhere when its node leaves
    /// (its shards hand off) or is lost, so a ref to an entity on any other node is likely stale.
    /// </summary>
    public static bool IsOnLiveNode(ActorSystem system, IActorRef entity)
    {
        var address = entity.Path.Address;
        if (!address.HasGlobalScope) return true;
        var state = Akka.Cluster.Cluster.Get(system).State;
        foreach (var member in state.Members)
        {
            if (member.Address != address) continue;
            var standing = member.Status is Akka.Cluster.MemberStatus.Up or Akka.Cluster.MemberStatus.Joining
                or Akka.Cluster.MemberStatus.WeaklyUp;
            return standing && !state.Unreachable.Contains(member) && !LostConnections.Get(system).IsLost(member.Address);
        }
        return false;
    }

    /// <summary>
    /// Whether the node <paramref name="session"/>'s id names is a member in good standing: up (or
    /// joining), reachable and connected, so the session, if it lives, can answer now. True for ids
    /// that name no node (nothing to tell). The exact opposite of <see cref="IsUnreachable"/> for a
    /// member: a resume whose session's node is lost must not be succeeded toward a partner on the
    /// same lost node (both clients of a pair on a crashed node would make two successors that can
    /// never find each other).
    /// </summary>
    public static bool IsOnLiveNode(ActorSystem system, SessionId session)
    {
        if (session.Node is not { } node) return true;
        var state = Akka.Cluster.Cluster.Get(system).State;
        foreach (var member in state.Members)
        {
            if (NodeKey.Of(member.UniqueAddress) != node) continue;
            var standing = member.Status is Akka.Cluster.MemberStatus.Up or Akka.Cluster.MemberStatus.Joining
                or Akka.Cluster.MemberStatus.WeaklyUp;
            return standing && !state.Unreachable.Contains(member) && !LostConnections.Get(system).IsLost(member.Address);
        }
        return false;
    }
}
