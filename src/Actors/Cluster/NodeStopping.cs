using Akka.Actor;

namespace SocketPeer.Actors.Cluster;

/// <summary>
/// Whether this node has begun a graceful stop. The host knows first (SIGTERM: it closes every
/// socket with 1012 before coordinated shutdown starts), and tells the actor system here, so that a
/// session on this node declines resumes from the moment its clients are told to go elsewhere,
/// instead of taking them and being handed off under them a moment later.
/// </summary>
public sealed class NodeStopping : IExtension
{
    private volatile bool _stopping;

    public static NodeStopping Get(ActorSystem system) => system.WithExtension<NodeStopping, NodeStoppingProvider>();

    public void Begin() => _stopping = true;

    /// <summary>True once the host began stopping, or coordinated shutdown has started.</summary>
    public bool IsStopping(ActorSystem system) => _stopping || CoordinatedShutdown.Get(system).ShutdownReason is not null;

    private sealed class NodeStoppingProvider : ExtensionIdProvider<NodeStopping>
    {
        public override NodeStopping CreateExtension(ExtendedActorSystem system) => new();
    }
}
