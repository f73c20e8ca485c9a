using SocketPeer.Actors.Crossings;
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

    /// <summary>
    /// <c>akka.tcp://socketpeer@host:port</c> addresses; empty joins itself. With <see cref="Tls"/> on,
    /// the transport's scheme is <c>akka.ssl.tcp</c>; a seed may be written in either scheme and is
    /// reached in the one this node speaks (<see cref="SeedAddresses"/>).
    /// </summary>
    public string[] SeedNodes { get; set; } = [];

    /// <summary>Mutual TLS between the nodes (off by default).</summary>
    public ClusterTlsSettings Tls { get; set; } = new();

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

    /// <summary>
    /// Whether messages to partners on other nodes travel in batches, one remote message per batch
    /// (<see cref="RelayBatchingSettings"/>; off by default).
    /// </summary>
    public RelayBatchingSettings RelayBatching { get; set; } = new();

    /// <summary>The scheme of this node's remoting addresses: <c>akka.ssl.tcp</c> with TLS, <c>akka.tcp</c> without.</summary>
    public string Protocol => Tls.Enabled ? TlsProtocol : PlainProtocol;

    public const string PlainProtocol = "akka.tcp";
    public const string TlsProtocol = "akka.ssl.tcp";

    /// <summary>
    /// <see cref="SeedNodes"/> in this node's scheme (<see cref="Protocol"/>): a node can only reach
    /// seeds that speak its transport, so a seed written in the other scheme is one the configuration
    /// meant in this one (the same list serves a cluster with TLS and without).
    /// </summary>
    public string[] SeedAddresses() =>
        SeedNodes.Select(seed =>
        {
            foreach (var scheme in new[] { TlsProtocol, PlainProtocol })
                if (seed.StartsWith(scheme + "://", StringComparison.Ordinal))
                    return Protocol + seed[scheme.Length..];
            return seed;
        }).ToArray();

    /// <summary>The host name other nodes use to reach this one.</summary>
    public string AdvertisedHostname => string.IsNullOrWhiteSpace(PublicHostname) ? Hostname : PublicHostname;
}
