namespace SocketPeer.Actors.Tests.Infrastructure.Cluster;

/// <summary>One incarnation of a node: a restarted node is a new member (a new UID in Akka).</summary>
internal readonly record struct NodeId(int Slot, int Incarnation)
{
    public override string ToString() => $"n{Slot}.{Incarnation}";
}

/// <summary>
/// What the cluster knows of a node. <see cref="Crashed"/>: the process is gone, nobody noticed
/// yet; <see cref="Unreachable"/>: the failure detector noticed; <see cref="Removed"/>: downed and
/// removed, its shards may move and its actors' watchers hear they terminated.
/// </summary>
internal enum NodeStatus { Up, Crashed, Unreachable, Removed }

/// <summary>The membership of a <see cref="ClusterWorld"/>: a fixed number of slots, each running one incarnation at a time.</summary>
internal sealed class SimNodes
{
    private readonly NodeId[] _current;
    private readonly Dictionary<NodeId, NodeStatus> _status = [];

    public SimNodes(int slots)
    {
        _current = [.. Enumerable.Range(0, slots).Select(s => new NodeId(s, 0))];
        foreach (var node in _current) _status[node] = NodeStatus.Up;
    }

    public int Slots => _current.Length;

    public NodeId Current(int slot) => _current[slot];

    public NodeStatus StatusOf(NodeId node) => _status[node];

    /// <summary>The process runs: it holds entities and accepts sockets.</summary>
    public bool IsUp(NodeId node) => _status[node] == NodeStatus.Up;

    /// <summary>Members the cluster still counts (everything not yet removed).</summary>
    public IEnumerable<NodeId> Members => _current.Where(n => _status[n] != NodeStatus.Removed);

    /// <summary>
    /// At most one node down at a time, and a majority of the members must stay up (keep-majority
    /// would otherwise down the survivors too, which is another story).
    /// </summary>
    public bool CanCrash(int slot)
    {
        var node = _current[slot];
        if (!IsUp(node) || Members.Any(n => !IsUp(n))) return false;
        var members = Members.Count();
        return (members - 1) * 2 > members;
    }

    public NodeId Crash(int slot)
    {
        var node = _current[slot];
        _status[node] = NodeStatus.Crashed;
        return node;
    }

    public void MarkUnreachable(NodeId node) => _status[node] = NodeStatus.Unreachable;

    public void MarkRemoved(NodeId node) => _status[node] = NodeStatus.Removed;

    /// <summary>A removed slot starts again as a new, empty member.</summary>
    public bool CanRestart(int slot) => _status[_current[slot]] == NodeStatus.Removed;

    public NodeId Restart(int slot)
    {
        var node = new NodeId(slot, _current[slot].Incarnation + 1);
        _current[slot] = node;
        _status[node] = NodeStatus.Up;
        return node;
    }

    /// <summary>Whether a crash is still being noticed or removed.</summary>
    public bool FaultPending => _current.Any(n => _status[n] is NodeStatus.Crashed or NodeStatus.Unreachable);
}
