using Akka.Actor;

namespace SocketPeer.Actors.Cluster;

/// <summary>
/// Whether this node has begun a graceful stop. The host knows first (SIGTERM: it closes every
/// socket with 1012 before coordinated shutdown starts), and tells the actor system here, so that a
/// session on this node declines resumes from the moment its clients are told to go elsewhere,
/// instead of taking them and being handed off under them a moment later.
/// </summary>
/// <para>Coordinated shutdown also begins it, in its first phase: a node downed by the split brain
/// resolver (or leaving for any reason the host did not start) closes its sockets with 1012 too.</para>
public sealed class NodeStopping : IExtension
{
    private readonly CancellationTokenSource _stopping = new();

    public static NodeStopping Get(ActorSystem system) => system.WithExtension<NodeStopping, NodeStoppingProvider>();

    /// <summary>Cancelled when the node begins to stop: connections close with 1012 on it.</summary>
    public CancellationToken Token => _stopping.Token;

    public void Begin()
    {
        try
        {
            _stopping.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Never disposed; kept for safety if that changes.
        }
    }

    /// <summary>True once the host began stopping, or coordinated shutdown has started.</summary>
    public bool IsStopping(ActorSystem system) =>
        _stopping.IsCancellationRequested || CoordinatedShutdown.Get(system).ShutdownReason is not null;

    private sealed class NodeStoppingProvider : ExtensionIdProvider<NodeStopping>
    {
        public override NodeStopping CreateExtension(ExtendedActorSystem system)
        {
            var extension = new NodeStopping();
            CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseBeforeServiceUnbind, "socketpeer-node-stopping", () =>
            {
                extension.Begin();
                return Task.FromResult(Akka.Done.Instance);
            });
            return extension;
        }
    }
}
