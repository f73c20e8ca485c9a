using Akka.Actor;
using SocketPeer.Actors.Sessions;
using static SocketPeer.Actors.Tests.Sessions.Given;

namespace SocketPeer.Actors.Tests.Sessions;

/// <summary>
/// Relays go straight to the partner's entity only when nothing of the pairing went through the shard
/// region first: otherwise a direct message could overtake a routed one and be taken for its duplicate.
/// The entity is known from the room's <c>PeerFound</c> on, or from the partner's own word (its hello).
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

    // The room's word for the partner's entity (PeerFound.PartnerRef), issue #18.

    [Fact]
    public void A_partner_the_room_introduced_is_told_directly_from_the_pairing_on() =>
        Assert.Same(PartnerRef, PartnerRoute.None.Introduced(Partner, PartnerRef).Direct(Partner));

    [Fact]
    public void A_hello_goes_through_the_region_until_the_partner_vouches_for_its_entity()
    {
        var introduced = PartnerRoute.None.Introduced(Partner, PartnerRef);

        Assert.Null(introduced.DirectHello(Partner));
        Assert.Same(SuccessorRef, introduced.Known(Partner, SuccessorRef).DirectHello(Partner));
    }

    [Fact]
    public void The_partners_own_word_replaces_the_rooms()
    {
        var route = PartnerRoute.None.Introduced(Partner, PartnerRef).Known(Partner, SuccessorRef);

        Assert.Same(SuccessorRef, route.Direct(Partner));
    }

    [Fact]
    public void The_rooms_word_does_not_replace_the_partners_own()
    {
        var route = PartnerRoute.None.Known(Partner, PartnerRef).Introduced(Partner, SuccessorRef);

        Assert.Same(PartnerRef, route.Direct(Partner));
        Assert.Same(PartnerRef, route.DirectHello(Partner));
    }

    [Fact]
    public void A_pairing_that_used_the_region_stays_on_it_when_the_room_introduces_the_partner()
    {
        var route = PartnerRoute.None.ThroughRegion(Partner).Introduced(Partner, PartnerRef);

        Assert.Null(route.Direct(Partner));
    }

    [Fact]
    public void A_lost_partner_introduced_again_by_the_room_is_still_reached_through_the_region()
    {
        var lost = PartnerRoute.None.Introduced(Partner, PartnerRef).ThroughRegion(Partner);

        Assert.Null(lost.Introduced(Partner, SuccessorRef).Direct(Partner));
        Assert.Null(lost.Known(Partner, SuccessorRef).Direct(Partner));
    }

    [Fact]
    public void A_new_partner_the_room_introduces_starts_a_new_route_whose_hello_waits_for_its_word()
    {
        var successor = new SessionId("successor-1");
        var route = PartnerRoute.None.Known(Partner, PartnerRef).Introduced(successor, SuccessorRef);

        Assert.Same(SuccessorRef, route.Direct(successor));
        Assert.Null(route.DirectHello(successor));
        Assert.Null(route.Direct(Partner));
    }

    private sealed class FakeRef(string name) : MinimalActorRef
    {
        public override ActorPath Path { get; } = new RootActorPath(Address.AllSystems) / name;
        public override IActorRefProvider Provider => throw new NotSupportedException();
    }
}
