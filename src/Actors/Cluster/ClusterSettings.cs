namespace SocketPeer.Actors.Cluster;

/// <summary>
/// Where this node lives in the cluster (DESIGN.md section 8, <c>SocketPeer:Cluster</c>). With no
/// seed nodes the node joins itself: a one-node cluster, which is what <c>dotnet run</c> starts.
/// </summary>
public sealed class ClusterSettings
{
    /// <summary>The actor system's name on every node: seed-node addresses depend on it.</summary>
    public const string SystemName = "socketpeer";

    /// <summary>The address this node advertises to the others.</summary>
    public string Hostname { get; set; } = "127.0.0.1";

    /// <summary>The remoting port; 0 takes any free port (tests).</summary>
    public int Port { get; set; } = 4053;

    /// <summary><c>akka.tcp://socketpeer@host:port</c> addresses; empty joins itself.</summary>
    public string[] SeedNodes { get; set; } = [];

    /// <summary>Cluster roles; empty means this node is both gateway and shard host.</summary>
    public string[] Roles { get; set; } = [];
}
