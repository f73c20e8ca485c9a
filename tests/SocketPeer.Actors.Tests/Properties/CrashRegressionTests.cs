using SocketPeer.Actors.Tests.Infrastructure.Cluster;
using static SocketPeer.Actors.Tests.Properties.CrashStepKind;

namespace SocketPeer.Actors.Tests.Properties;

/// <summary>
/// Runs the crash property found (shrunk), replayed as fixed step lists on a
/// <see cref="ClusterWorld"/>: three nodes n0–n2, clients c0 and c1 sharing "x" (its room is
/// allocated to n2), c2 and c3 sharing "y"; client i starts on node i mod 3.
/// </summary>
public sealed class CrashRegressionTests
{
    /// <summary>
    /// n2, which holds room "x", dies before c0's and c1's joins reach it: both are lost, and until
    /// the join retry neither session ever asked again. The property's shrink, as found.
    /// </summary>
    [Fact(Skip = "fails until the dead-seat fix lands (issue 13)")]
    public void Joins_lost_with_the_rooms_node_are_sent_again() =>
        AssertEveryPairMeetsAgain([new(Crash, 965)]);

    /// <summary>
    /// c1 moves to n0 (two dropped sockets: n1, then n2, then n0), where c0 is; they pair in room "x"
    /// on n2. n0 dies with both seats' sessions; the room, on a survivor, answers each client's new
    /// session <c>busy</c> for ever (issue 13's stranded pair).
    /// </summary>
    [Fact(Skip = "fails until the dead-seat fix lands (issue 13)")]
    public void Seats_held_by_sessions_of_a_crashed_node_are_given_to_their_clients_new_sessions() =>
        AssertEveryPairMeetsAgain(
        [
            new(Close, 1), new(Advance, 250), new(Close, 1), new(Advance, 500),
            .. Enumerable.Repeat(new CrashStep(Deliver, 0), 40),
            new(Crash, 0),
        ]);

    private static void AssertEveryPairMeetsAgain(CrashStep[] steps)
    {
        var world = CrashSteps.Play(steps);
        var failure = CrashSteps.CheckLiveness(world);
        Assert.True(failure is null, $"{failure}{Environment.NewLine}{world.Trace}");
    }
}
