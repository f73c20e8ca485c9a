using Akka.Actor;
using SocketPeer.Actors.Sessions;
using static SocketPeer.Actors.Tests.Sessions.Given;

namespace SocketPeer.Actors.Tests.Sessions;

/// <summary>
/// Relays go straight to the partner's entity only when nothing of the pairing went through the shard
/// region first: otherwise a direct message could overtake a routed one and be taken for its duplicate.
/// </summary>
public sealed class PartnerRouteTests
{
    private static readonly IActorRef PartnerRef = new FakeRef("partner");
    private static readonly IActorRef SuccessorRef = new FakeRef("successor");

    [Fact]
    public void Nothing_is_direct_before_the_partner_introduces_itself() =>
        Assert.Null(PartnerRoute.None.Direct(Partner));

    [Fact]
    public void A_partner_known_before_the_first_relay_is_told_directly() =>
        Assert.Same(PartnerRef, PartnerRoute.None.Known(Partner, PartnerRef).Direct(Partner));

    [Fact]
    public void A_pairing_that_used_the_region_stays_on_it_when_the_partner_introduces_itself()
    {
        var route = PartnerRoute.None.ThroughRegion(Partner).Known(Partner, PartnerRef);

        Assert.Null(route.Direct(Partner));
    }

    [Fact]
    public void A_lost_partner_is_reached_through_the_region_even_after_it_is_back()
    {
        var lost = PartnerRoute.None.Known(Partner, PartnerRef).ThroughRegion(Partner);

        Assert.Null(lost.Direct(Partner));
        Assert.Null(lost.Known(Partner, SuccessorRef).Direct(Partner));
    }

    [Fact]
    public void A_message_to_someone_else_through_the_region_does_not_reopen_a_routed_partner()
    {
        var stranger = new SessionId("stranger-1");
        var route = PartnerRoute.None.ThroughRegion(Partner).ThroughRegion(stranger).Known(Partner, PartnerRef);

        Assert.Null(route.Direct(Partner));
    }

    [Fact]
    public void A_message_to_someone_else_keeps_the_direct_route_to_the_partner()
    {
        var route = PartnerRoute.None.Known(Partner, PartnerRef).ThroughRegion(new SessionId("stranger-1"));

        Assert.Same(PartnerRef, route.Direct(Partner));
    }

    [Fact]
    public void A_new_partner_starts_a_new_route()
    {
        var successor = new SessionId("successor-1");
        var route = PartnerRoute.None.ThroughRegion(Partner).Known(successor, SuccessorRef);

        Assert.Same(SuccessorRef, route.Direct(successor));
        Assert.Null(route.Direct(Partner));
    }

    private sealed class FakeRef(string name) : MinimalActorRef
    {
        public override ActorPath Path { get; } = new RootActorPath(Address.AllSystems) / name;
        public override IActorRefProvider Provider => throw new NotSupportedException();
    }
}
