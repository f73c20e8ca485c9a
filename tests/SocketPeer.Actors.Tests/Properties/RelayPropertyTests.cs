using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace SocketPeer.Actors.Tests.Properties;

/// <summary>Whole worlds of sessions and rooms under random client commands and random delivery orders.</summary>
public sealed class RelayPropertyTests
{
    /// <remarks>
    /// "Partner" is as each end's session knows it: the sender's when it sends, the receiver's when
    /// the message arrives. The room may already know better at either moment (a <c>PartnerLeft</c>
    /// still on its way), so room membership at send time is deliberately not asserted.
    /// </remarks>
    [Property(MaxTest = 500)]
    public Property No_relayed_message_ever_reaches_anyone_but_the_senders_partner() =>
        Prop.ForAll(WorldSteps.Runs, run =>
        {
            var world = WorldSteps.Play(run);

            RelaySafety.AssertOnlyPartnersReceive(world.Deliveries, world.Sent, world.Trace);
        });

    [Property(MaxTest = 500)]
    public Property Every_relay_is_delivered_at_most_once() =>
        Prop.ForAll(WorldSteps.Runs, run =>
        {
            var world = WorldSteps.Play(run);

            Assert.Equal(world.Deliveries.Count, world.Deliveries.Select(d => d.Payload).Distinct().Count());
        });

    [Property(MaxTest = 500)]
    public Property No_room_ever_holds_more_than_two() =>
        Prop.ForAll(WorldSteps.Runs, run =>
        {
            var world = WorldSteps.Play(run);

            Assert.InRange(world.MaxMembers, 0, 2);
            Assert.False(world.DuplicateMember);
        });
}
