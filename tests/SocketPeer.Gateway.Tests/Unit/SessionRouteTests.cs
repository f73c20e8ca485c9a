using Akka.Actor;
using SocketPeer.Actors.Sessions;
using SocketPeer.Gateway.Connections;

namespace SocketPeer.Gateway.Tests.Unit;

/// <summary>
/// A client's messages go straight to its session's entity only once it has said where it is and
/// nothing is in flight through the region, which could otherwise be overtaken.
/// </summary>
public sealed class SessionRouteTests
{
    private static readonly IActorRef Region = new FakeRef("region");
    private static readonly IActorRef Entity = new FakeRef("entity");
    private static readonly SessionId Own = new("own");
    private static readonly SessionId Resumed = new("resumed");

    [Fact]
    public void Through_the_region_until_the_entity_says_where_it_is() =>
        Assert.Same(Region, new SessionRoute(Region).For(Own, nothingInFlight: true));

    [Fact]
    public void Straight_to_the_entity_once_located_and_nothing_is_in_flight()
    {
        var route = Located(Own);

        Assert.Same(Region, route.For(Own, nothingInFlight: false));
        Assert.Same(Entity, route.For(Own, nothingInFlight: true));
        Assert.Same(Entity, route.For(Own, nothingInFlight: false)); // switched: stays direct
    }

    [Fact]
    public void Another_session_s_location_does_not_count()
    {
        var route = Located(Own);

        Assert.Same(Region, route.For(Resumed, nothingInFlight: true));
    }

    [Fact]
    public void Coming_back_to_a_session_switches_again_only_when_nothing_is_in_flight()
    {
        var route = Located(Own);
        Assert.Same(Entity, route.For(Own, nothingInFlight: true));

        Assert.Same(Region, route.For(Resumed, nothingInFlight: false)); // the socket resumed another session
        Assert.Same(Region, route.For(Own, nothingInFlight: false));     // and came back to its own (a successor)
        Assert.Same(Entity, route.For(Own, nothingInFlight: true));
    }

    private static SessionRoute Located(SessionId session)
    {
        var route = new SessionRoute(Region);
        route.Located(new SessionLocation(Entity, session));
        return route;
    }

    private sealed class FakeRef(string name) : MinimalActorRef
    {
        public override ActorPath Path { get; } = new RootActorPath(Address.AllSystems) / name;
        public override IActorRefProvider Provider => throw new NotSupportedException();
    }
}
