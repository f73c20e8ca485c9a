using Akka.Actor;
using SocketPeer.Actors.Rooms;

namespace SocketPeer.Actors.Sessions;

/// <summary>
/// Where a session's actor finds its room and its partner: the room entity it watches (the last one
/// that answered it about the room it is in), the partner entity it watches, and the route its
/// messages to the partner take. Who the partner is, and whether the session is in that room, is
/// the <see cref="SessionState"/>'s to say: these are only the actor refs.
/// </summary>
/// <param name="Room">the room entity watched, and its code (its loss is <see cref="RoomLost"/>)</param>
/// <param name="Partner">the partner entity watched (its loss is <see cref="PartnerLost"/>)</param>
public sealed record SessionLinks(IActorRef? Room, PairCode? RoomCode, IActorRef? Partner, PartnerRoute Route)
{
    public static readonly SessionLinks None = new(null, null, null, PartnerRoute.None);
}
