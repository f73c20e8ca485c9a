using Akka.Actor;
using SocketPeer.Actors.Sessions;
using SocketPeer.Gateway.Connections;

namespace SocketPeer.Gateway.Tests.Unit;

/// <summary>
/// Which session a socket serves, and the route to it. A client's messages go straight to its
/// session's entity only once it has said where it is and nothing is in flight through the region,
/// which could otherwise be overtaken.
/// </summary>
public sealed class ConnectionSessionTests
{
    private static readonly IActorRef Region = new FakeRef("region");
    private static readonly IActorRef Entity = new FakeRef("entity");
    private static readonly SessionId Own = new("own");
    private static readonly SessionId Resumed = new("resumed");

    [Fact]
    public void Through_the_region_until_the_entity_says_where_it_is() =>
        Assert.Same(Region, new ConnectionSession(Own, Region).RouteFor(Own, nothingInFlight: true));

    [Fact]
    public void Straight_to_the_entity_once_located_and_nothing_is_in_flight()
    {
        var route = Located(Own);

        Assert.Same(Region, route.RouteFor(Own, nothingInFlight: false));
        Assert.Same(Entity, route.RouteFor(Own, nothingInFlight: true));
        Assert.Same(Entity, route.RouteFor(Own, nothingInFlight: false)); // switched: stays direct
    }

    [Fact]
    public void Another_session_s_location_does_not_count()
    {
        var route = Located(Own);

        Assert.Same(Region, route.RouteFor(Resumed, nothingInFlight: true));
    }

    [Fact]
    public void Coming_back_to_a_session_switches_again_only_when_nothing_is_in_flight()
    {
        var route = Located(Own);
        Assert.Same(Entity, route.RouteFor(Own, nothingInFlight: true));

        Assert.Same(Region, route.RouteFor(Resumed, nothingInFlight: false)); // the socket resumed another session
        Assert.Same(Region, route.RouteFor(Own, nothingInFlight: false));     // and came back to its own (a successor)
        Assert.Same(Entity, route.RouteFor(Own, nothingInFlight: true));
    }

    [Fact]
    public void Serves_its_own_session_until_a_resume_and_again_after_a_succession()
    {
        var session = new ConnectionSession(Own, Region);
        Assert.Equal(Own, session.Serving);

        session.Serve(Resumed);
        Assert.Equal(Resumed, session.Serving);
        Assert.Equal(Own, session.Own);

        session.Serve(session.Own);
        Assert.Equal(Own, session.Serving);
    }

    [Fact]
    public void An_announcement_completes_the_wait_for_that_session_only_whenever_it_comes()
    {
        var session = new ConnectionSession(Own, Region);
        session.Announce(Own); // before anyone waits: the wait begun later is already over
        var resumed = session.Announced(Resumed);

        Assert.True(session.Announced(Own).IsCompletedSuccessfully);
        Assert.False(resumed.IsCompleted);

        session.Announce(Resumed);
        Assert.True(resumed.IsCompletedSuccessfully);
    }

    [Fact]
    public void A_leaving_notice_completes_the_wait_for_that_session_only()
    {
        var session = new ConnectionSession(Own, Region);
        var leaving = session.Leaving(Resumed);

        session.Left(Own);
        Assert.False(leaving.IsCompleted);

        session.Left(Resumed);
        Assert.True(leaving.IsCompletedSuccessfully);
        Assert.False(session.Announced(Resumed).IsCompleted); // leaving is not answering
    }

    [Fact]
    public void Every_wait_for_a_session_ends_with_its_answer_and_later_waits_are_over_at_once()
    {
        var session = new ConnectionSession(Own, Region);
        var first = session.Announced(Resumed);
        var second = session.Announced(Resumed);
        Assert.False(first.IsCompleted);

        session.Answered(Resumed);

        Assert.True(first.IsCompletedSuccessfully);
        Assert.True(second.IsCompletedSuccessfully);
        Assert.True(session.Announced(Resumed).IsCompletedSuccessfully);
        Assert.False(session.Leaving(Resumed).IsCompleted); // answering is not leaving
    }

    private static ConnectionSession Located(SessionId session)
    {
        var route = new ConnectionSession(Own, Region);
        route.Located(new SessionLocation(Entity, session));
        return route;
    }

    private sealed class FakeRef(string name) : MinimalActorRef
    {
        public override ActorPath Path { get; } = new RootActorPath(Address.AllSystems) / name;
        public override IActorRefProvider Provider => throw new NotSupportedException();
    }
}
