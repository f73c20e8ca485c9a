using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using SocketPeer.Actors.Diagnostics;

namespace SocketPeer.Actors.Crossings;

/// <summary>
/// This node's batcher for one remote node: what sessions here tell their partners there arrives as
/// <see cref="CrossingRelay"/>s and leaves as <see cref="RelayBatch"/>es to that node's
/// <see cref="CrossingInbox"/>. No timer: the first message of a batch has the batcher tell itself a
/// flush, which arrives behind everything already in its mailbox, so a lone message waits one local
/// hop and a busy pair of nodes sends batches (bounded by <see cref="CrossingBuffer"/>).
/// <para>Until the remote node's inbox has answered an <see cref="Identify"/>, each message goes to its
/// target on its own, as without batching: a node of an older release has no inbox and must not be
/// sent batches it cannot read. Switching from single messages to batches keeps each sender's order
/// (a single message is in its target's mailbox before a later batch reaches the inbox); the other way
/// would not, so once batching the batcher never goes back. It stops when its node leaves the cluster
/// or the inbox it batches to stops.</para>
/// </summary>
public sealed class CrossingBatcher : UntypedActor
{
    /// <summary>How long a batcher without an answer from the inbox waits before asking again.</summary>
    internal static readonly TimeSpan AskAgainAfter = TimeSpan.FromSeconds(1);

    private readonly Address _node;
    private readonly CrossingRelays _relays;
    private readonly CrossingBuffer _buffer;
    private readonly SocketPeerMetrics _metrics;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private IActorRef? _inbox;
    private DateTime _askedAt = DateTime.MinValue;
    private bool _flushPending;

    public CrossingBatcher(Address node, RelayBatchingSettings settings, CrossingRelays relays, SocketPeerMetrics metrics)
    {
        _metrics = metrics;
        _node = node;
        _relays = relays;
        _buffer = new CrossingBuffer(settings.MaxMessages, settings.MaxBytes, Send);
    }

    public static Props Props(Address node, RelayBatchingSettings settings, CrossingRelays relays, SocketPeerMetrics metrics) =>
        Akka.Actor.Props.Create(() => new CrossingBatcher(node, settings, relays, metrics));

    protected override void PreStart()
    {
        AskForInbox();
        Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.MemberRemoved));
    }

    protected override void PostStop()
    {
        Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);
        _relays.Forget(_node, Self);
    }

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case CrossingRelay m when _inbox is null:
                m.Target.Tell(m.Message, Sender);
                if (DateTime.UtcNow - _askedAt > AskAgainAfter) AskForInbox();
                break;
            case CrossingRelay m:
                _buffer.Add(m.Target, Sender.IsNobody() ? null : Sender, m.Message);
                if (_buffer.Count > 0 && !_flushPending)
                {
                    _flushPending = true;
                    Self.Tell(Flush.Instance);
                }
                break;
            case Flush:
                _flushPending = false;
                _buffer.Flush();
                break;
            case ActorIdentity { Subject: { } inbox } when _inbox is null:
                _log.Debug("Relays to {0} go in batches from now on", _node);
                _inbox = inbox;
                Context.Watch(inbox);
                break;
            case ActorIdentity:
                break;
            // The node left, or its inbox stopped with it (its incarnation is gone): the next message
            // to that address starts a batcher that asks the new incarnation, if any.
            case ClusterEvent.MemberRemoved m when m.Member.Address.Equals(_node):
                Context.Stop(Self);
                break;
            case Terminated t when t.ActorRef.Equals(_inbox):
                Context.Stop(Self);
                break;
            case ClusterEvent.IClusterDomainEvent:
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void AskForInbox()
    {
        _askedAt = DateTime.UtcNow;
        Context.ActorSelection(new RootActorPath(_node) / "user" / CrossingInbox.Name).Tell(new Identify(null));
    }

    private void Send(RelayBatch batch)
    {
        _inbox!.Tell(batch, ActorRefs.NoSender);
        _metrics.BatchSent(batch.Items.Count);
    }

    /// <summary>Sent to itself with a batch's first message: what waits goes when it arrives.</summary>
    private sealed class Flush
    {
        public static readonly Flush Instance = new();
    }
}
