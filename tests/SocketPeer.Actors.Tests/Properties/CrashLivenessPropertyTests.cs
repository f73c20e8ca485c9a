using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Sessions;
using static SocketPeer.Actors.Sessions.SessionPhase;

namespace SocketPeer.Actors.Tests.Properties;

/// <summary>
/// Node crashes with clients of the original protocol (issue 13): nothing is ever relayed across
/// pairs or seats a third, and after the last crash every pair meets again within a bound.
/// </summary>
public sealed class CrashLivenessPropertyTests
{
    [Property(MaxTest = 300, Skip = "finds failures on main at dcbc545: see the skipped CrashRegressionTests (issue 13)")]
    public Property After_crashes_every_pair_is_paired_again_and_nothing_crosses_pairs() =>
        Prop.ForAll(CrashSteps.Runs, run =>
        {
            var world = CrashSteps.Play(run);
            var liveness = CrashSteps.CheckLiveness(world);

            foreach (var delivery in world.Deliveries)
            {
                var ok = world.Sent.TryGetValue(delivery.Payload, out var sent)
                    && sent.To == delivery.Receiver
                    && IsPairedWith(sent.SenderPhase, sent.Code, delivery.Receiver)
                    && IsPairedWith(delivery.ReceiverPhase, sent.Code, sent.From);
                if (!ok)
                    Assert.Fail($"{delivery.Payload} sent as {sent} reached {delivery.Receiver}{Environment.NewLine}{world.Trace}");
            }
            if (world.MaxMembers > 2 || world.DuplicateMember)
                Assert.Fail($"a room held {world.MaxMembers} (duplicate: {world.DuplicateMember}){Environment.NewLine}{world.Trace}");
            if (liveness is not null)
                Assert.Fail($"{liveness}{Environment.NewLine}{world.Trace}");
        });

    private static bool IsPairedWith(SessionPhase phase, PairCode code, SessionId partner) =>
        phase is Paired p && p.Code == code && p.Partner == partner;
}
