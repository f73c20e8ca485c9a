using Akka.Actor;
using SocketPeer.Actors.Sessions;
using SocketPeer.Gateway.Connections;
using SocketPeer.Gateway.Protocol;

namespace SocketPeer.Gateway.Ingress;

/// <summary>
/// One socket's entry into its lane: a few references, no actor, no graph. The socket's reader
/// waits for room in the session's window (<see cref="ConnectionOutbox.WaitForWindowAsync"/>) and
/// then for room in the lane's bounded queue; the lane routes and delivers. So a session that stops
/// acknowledging holds only its own socket's reader, never the lane.
/// </summary>
public sealed class ConnectionIngress(IngressLane lane, ConnectionOutbox outbox, ConnectionSession session)
{
    private volatile bool _failed;

    public ConnectionOutbox Outbox => outbox;

    /// <summary>A message of this socket faulted in its lane: the socket is closing with 1011.</summary>
    public bool Failed => _failed;

    /// <summary>
    /// Hands a message to the lane once the session's window has room; false when ingress has stopped
    /// (the node is stopping), and the message is dropped.
    /// </summary>
    public async ValueTask<bool> OfferAsync(IWithSessionId message, CancellationToken cancel)
    {
        await outbox.WaitForWindowAsync(cancel);
        if (await lane.OfferAsync(new IngressItem(this, message, IsLast: false), cancel)) return true;
        outbox.ReturnWindow(); // never told, so never acknowledged
        return false;
    }

    /// <summary>
    /// The socket's last message, outside the window (nothing acknowledges it) but behind everything
    /// the lane still holds for it; told directly once ingress has stopped, when nothing of this
    /// socket is delivered any more.
    /// </summary>
    public async ValueTask FinishAsync(ConnectionClosed closed)
    {
        if (!await lane.OfferAsync(new IngressItem(this, closed, IsLast: true), CancellationToken.None))
            session.Region.Tell(closed, ActorRefs.NoSender);
    }

    /// <summary>Called by the lane only, in this socket's order.</summary>
    internal void Deliver(IngressItem item)
    {
        if (item.IsLast)
        {
            session.Region.Tell(item.Message, ActorRefs.NoSender);
            return;
        }
        if (_failed) return;
        var target = session.RouteFor(item.Message.Session, outbox.NothingInFlight);
        outbox.Told();
        target.Tell(item.Message, outbox);
    }

    /// <summary>Delivering one of this socket's messages threw: close the socket with 1011, drop the rest.</summary>
    internal void Fail()
    {
        _failed = true;
        outbox.Tell(new CloseRequest(CloseCodes.InternalError, "internal-error"));
    }
}
