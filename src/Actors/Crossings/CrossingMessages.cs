using Akka.Actor;
using SocketPeer.Actors.Sessions;

namespace SocketPeer.Actors.Crossings;

/// <summary>
/// What a session tells its node's batcher for the partner's node: <see cref="Message"/> for
/// <see cref="Target"/>, the partner's entity there. The session is the sender, and stays the sender
/// of the message the partner gets. Never leaves the node.
/// </summary>
public sealed record CrossingRelay(IActorRef Target, IWithSessionId Message);

/// <summary>
/// Messages from sessions of one node to their partners on another, in the order they were told to
/// the batcher: one remote message instead of one each. Each item names its target and its sender by
/// index into <see cref="Refs"/>, the batch's distinct refs, so a ref many items share crosses once.
/// </summary>
public sealed record RelayBatch(IReadOnlyList<IActorRef> Refs, IReadOnlyList<RelayItem> Items) : ISocketPeerMessage;

/// <summary>One message of a <see cref="RelayBatch"/>; <see cref="Sender"/> -1: no sender.</summary>
public readonly record struct RelayItem(int Target, int Sender, IWithSessionId Message)
{
    public const int NoSender = -1;
}
