using Akka.Actor;
using SocketPeer.Actors.Sessions;

namespace SocketPeer.Gateway.Connections;

/// <summary>
/// Where the inbound loop tells a client's messages: through the session shard region until the
/// session's entity has said where it is (<see cref="SessionLocation"/>), then straight to it, two
/// mailboxes fewer per message (region, shard). The two paths are each in order but not with each
/// other, so the switch waits until nothing is in flight through the region; and it is made again
/// whenever the socket changes session (a resume, a successor).
/// </summary>
public sealed class SessionRoute(IActorRef region)
{
    private volatile SessionLocation? _located;
    private SessionId? _direct;

    /// <summary>The entity serving <see cref="SessionLocation.Id"/> said where it is (from the writer).</summary>
    public void Located(SessionLocation location) => _located = location;

    /// <summary>Where to tell the next message for <paramref name="session"/> (called by the inbound loop only).</summary>
    /// <param name="nothingInFlight">every message told so far has been acknowledged</param>
    public IActorRef For(SessionId session, bool nothingInFlight)
    {
        if (_direct != session) _direct = null;
        if (_located is not { } located || located.Id != session) return region;
        if (_direct is null)
        {
            if (!nothingInFlight) return region;
            _direct = session;
        }
        return located.Session;
    }
}
