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
    /// the join retry neither session ever asked again. The property's shrink on the code before the
    /// seat check, as found.
    /// </summary>
    [Fact]
    public void Joins_lost_with_the_rooms_node_are_sent_again() =>
        AssertEveryPairMeetsAgain([new(Crash, 965)]);

    /// <summary>
    /// c1 moves to n0 (two dropped sockets: n1, then n2, then n0), where c0 is; they pair in room "x"
    /// on n2. n0 dies with both seats' sessions; the room, on a survivor, answers each client's new
    /// session <c>busy</c> for ever before the seat check (issue 13's stranded pair).
    /// </summary>
    [Fact]
    public void Seats_held_by_sessions_of_a_crashed_node_are_given_to_their_clients_new_sessions() =>
        AssertEveryPairMeetsAgain(
        [
            new(Close, 1), new(Advance, 250), new(Close, 1), new(Advance, 500),
            .. Enumerable.Repeat(new CrashStep(Deliver, 0), 40),
            new(Crash, 0),
        ]);

    /// <summary>
    /// Found on the seat-check code: c2's session waits in room "y" on n0; n0 dies (silently) and is
    /// removed; the session hears its room terminated and joins again, toward the room's new home n1;
    /// n0 restarts and n1 dies at once, with that join in flight. A re-join after a lost room is sent
    /// once: the session stays Waiting in a room that does not hold it and watches nothing, and c3's
    /// new session waits alone in the rebuilt room. Neither is ever paired (until the peer timeout,
    /// which the original client does not answer).
    /// </summary>
    [Fact(Skip = "fails on the seat-check code: a re-join after a lost room is never sent again (reported, issue 13)")]
    public void A_rejoin_after_a_lost_room_lost_with_the_next_home_is_sent_again() =>
        AssertEveryPairMeetsAgain(Parse(
            "Deliver(511); Deliver(372); Deliver(602); Deliver(462); Deliver(556); Deliver(298); Deliver(305); Deliver(498); "
            + "Crash(585); Advance(720); Advance(667); Advance(371); Deliver(409); Restart(630); Crash(793)"));

    /// <summary>Steps as FsCheck prints them: <c>Deliver(511); Crash(585); …</c>.</summary>
    private static CrashStep[] Parse(string steps) =>
        [.. steps.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(s =>
            new CrashStep(Enum.Parse<CrashStepKind>(s[..s.IndexOf('(')]), int.Parse(s[(s.IndexOf('(') + 1)..^1])))];

    private static void AssertEveryPairMeetsAgain(CrashStep[] steps)
    {
        var world = CrashSteps.Play(steps);
        var failure = CrashSteps.CheckLiveness(world);
        Assert.True(failure is null, $"{failure}{Environment.NewLine}{world.Trace}");
    }
}
