using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Remote;

namespace SocketPeer.Actors.Cluster;

/// <summary>
/// The nodes whose remoting connection broke and has not come back: an early sign that a node died,
/// seconds before the failure detector says so. A process that dies (a crash, an OOM kill, kill -9)
/// has its TCP connections reset by its kernel at once, and remoting reports the disassociation
/// then; the cluster marks the node unreachable only after the acceptable heartbeat pause (~3 s with
/// the default timings). A node that goes silent (a lost machine, a cut network) resets nothing, so
/// for it this adds nothing and the failure detector decides, as before.
/// Read by the decisions that would otherwise wait for unreachability: giving a vacant seat to a
/// reconnecting client (RoomActor) and succeeding a resumed session (the gateway). A connection that
/// merely blipped is re-associated within remoting's gate (<c>retry-gate-closed-for</c>, 5 s), and a
/// node that stays unassociated longer is found unreachable by then anyway.
/// </summary>
public sealed class LostConnections : IExtension
{
    private readonly ConcurrentDictionary<Address, byte> _lost = new();

    private LostConnections(ExtendedActorSystem system) =>
        system.SystemActorOf(Props.Create(() => new Listener(this)), "socketpeer-lost-connections");

    public static LostConnections Get(ActorSystem system) =>
        system.WithExtension<LostConnections, LostConnectionsProvider>();

    /// <summary>Whether any connection is lost now (the common answer, no: checked first on every join).</summary>
    public bool Any => !_lost.IsEmpty;

    /// <summary>Whether the connection to this node broke and has not been re-established since.</summary>
    public bool IsLost(Address node) => _lost.ContainsKey(node);

    private void Lost(Address node) => _lost[node] = 0;

    private void Back(Address node) => _lost.TryRemove(node, out _);

    private sealed class Listener : UntypedActor
    {
        private readonly LostConnections _connections;

        public Listener(LostConnections connections)
        {
            _connections = connections;
            Context.System.EventStream.Subscribe(Self, typeof(DisassociatedEvent));
            Context.System.EventStream.Subscribe(Self, typeof(AssociatedEvent));
            Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, typeof(Akka.Cluster.ClusterEvent.MemberRemoved));
        }

        protected override void OnReceive(object message)
        {
            switch (message)
            {
                case DisassociatedEvent e: _connections.Lost(e.RemoteAddress); break;
                case AssociatedEvent e: _connections.Back(e.RemoteAddress); break;
                // A removed node's address may come back as a new incarnation: forget the old one.
                case Akka.Cluster.ClusterEvent.MemberRemoved e: _connections.Back(e.Member.Address); break;
            }
        }

        protected override void PostStop()
        {
            Context.System.EventStream.Unsubscribe(Self);
            Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);
        }
    }

    private sealed class LostConnectionsProvider : ExtensionIdProvider<LostConnections>
    {
        public override LostConnections CreateExtension(ExtendedActorSystem system) => new(system);
    }
}
