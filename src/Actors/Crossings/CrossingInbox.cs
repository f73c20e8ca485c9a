using Akka.Actor;

namespace SocketPeer.Actors.Crossings;

/// <summary>
/// Every node's receiver of <see cref="RelayBatch"/>es, at <c>/user/relay-inbox</c>: it tells each
/// item to its target, a session entity here, as its sender, in the batch's order. Started on every
/// node, whether or not the node batches what it sends, so any node of this release may batch to it.
/// </summary>
public sealed class CrossingInbox : UntypedActor
{
    public const string Name = "relay-inbox";

    public static Props Props() => Akka.Actor.Props.Create<CrossingInbox>();

    protected override void OnReceive(object message)
    {
        if (message is not RelayBatch batch)
        {
            Unhandled(message);
            return;
        }
        var refs = batch.Refs;
        foreach (var item in batch.Items)
            refs[item.Target].Tell(item.Message, item.Sender == RelayItem.NoSender ? ActorRefs.NoSender : refs[item.Sender]);
    }
}
