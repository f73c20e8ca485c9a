using SocketPeer.Actors.Placement;
namespace SocketPeer.Actors.Cluster;

/// <summary>
/// Where this node lives in the cluster (docs/architecture.md section 8, <c>SocketPeer:Cluster</c>). With no
/// seed nodes the node joins itself: a one-node cluster, which is what <c>dotnet run</c> starts.
/// </summary>
public sealed class ClusterSettings
{
    /// <summary>The actor system's name on every node: seed-node addresses depend on it.</summary>
    public const string SystemName = "socketpeer";

    /// <summary>
    /// The address remoting binds to, and the one this node advertises unless
    /// <see cref="PublicHostname"/> is set. <c>0.0.0.0</c> binds every interface (then set
    /// <see cref="PublicHostname"/>: other nodes cannot reach 0.0.0.0).
    /// </summary>
    public string Hostname { get; set; } = "127.0.0.1";

    /// <summary>
    /// The address this node advertises to the others when it differs from the one it binds: on
    /// Kubernetes the pod binds 0.0.0.0 and advertises its stable DNS name, which may not resolve
    /// yet when the process starts. Empty advertises <see cref="Hostname"/>.
    /// </summary>
    public string? PublicHostname { get; set; }

    /// <summary>The remoting port; 0 takes any free port (tests).</summary>
    public int Port { get; set; } = 4053;

    /// <summary><c>akka.tcp://socketpeer@host:port</c> addresses; empty joins itself.</summary>
    public string[] SeedNodes { get; set; } = [];

    /// <summary>
    /// This node's cluster roles. Every node is a gateway and hosts the sessions of its sockets; a
    /// node hosts room shards when <see cref="RoomRole"/> is empty or among these.
    /// </summary>
    public string[] Roles { get; set; } = [];

    /// <summary>
    /// The cluster role whose nodes host room shards; empty: every node. A node without it starts
    /// the room region as a proxy and hosts no room. Nothing checks that some node has the role:
    /// until one is up, pairing goes unanswered (a node that would be alone says so in its log at
    /// start-up). Sessions take no role: under <see cref="SessionPlacement.Local"/> a session lives
    /// on the node of its socket, so every gateway hosts session shards, and a node without sockets
    /// hosts none anyway.
    /// </summary>
    public string? RoomRole { get; set; }

    /// <summary>Failure detection and downing timings (docs/architecture.md section 6).</summary>
    public ClusterTimings Timings { get; set; } = new();

    /// <summary>
    /// Down a member at once when its remoting connection drops and its port then refuses
    /// connections (its process is gone), instead of waiting for the split brain resolver
    /// (<see cref="CrashedProcessDowning"/>). Off: only the resolver downs.
    /// </summary>
    public bool DownCrashedProcesses { get; set; } = true;

    /// <summary>
    /// Where session entities live: with their socket (<see cref="SessionPlacement.Local"/>, the
    /// supported placement) or wherever hashing puts them (<see cref="SessionPlacement.Hash"/>, for
    /// the benchmark's comparison only).
    /// </summary>
    public SessionPlacement SessionPlacement { get; set; } = SessionPlacement.Local;

    /// <summary>The host name other nodes use to reach this one.</summary>
    public string AdvertisedHostname => string.IsNullOrWhiteSpace(PublicHostname) ? Hostname : PublicHostname;
}
