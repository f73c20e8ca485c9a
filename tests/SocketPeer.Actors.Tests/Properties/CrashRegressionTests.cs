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

    /// <summary>
    /// Found on the seat-check code. c0 drops its first socket just after the room (on n2) paired its
    /// session s0.0 with c1's s1.0; s0.0 ends and leaves, c0's new session s0.1 takes the seat, and the
    /// room tells s1.0 PartnerLeft and PeerFound(s0.1), but n2 dies with both in flight. s1.0 stays
    /// Paired with s0.0, which is gone, and watches nothing of it (s0.0's hello came while s1.0 was still
    /// joining; s1.0's own hello made a fresh, unattached s0.0 that answers nothing). At n2's removal
    /// both re-join the rebuilt room naming their partners, s1.0 naming s0.0 and s0.1 naming s1.0, so
    /// the room seats both without pairing them. Both clients believe they are paired; nothing they
    /// relay is ever delivered.
    /// </summary>
    [Fact(Skip = "fails on the seat-check code: a session paired with a partner that ended before the pairing reached it never learns (reported, issue 13)")]
    public void A_pairing_with_a_session_that_ended_is_undone_when_the_room_that_made_it_is_lost() =>
        AssertEveryPairMeetsAgain(Parse(
            "Deliver(277); Deliver(587); Deliver(561); Deliver(584); Deliver(700); Deliver(398); Deliver(382); Deliver(889); "
            + "Close(532); Deliver(113); Close(866); Deliver(739); Deliver(279); Deliver(216); Advance(705); Deliver(691); "
            + "Deliver(230); Deliver(238); Advance(568); Deliver(890); Deliver(776); Deliver(119); Deliver(386); Crash(251)"));

    /// <summary>
    /// Found on the seat-check code, but not about crashes: c3's session s3.0 waits in room "y"; c2's
    /// s2.1 joins and the room pairs them, but s3.0's peer timeout fires before its PeerFound arrives
    /// (here: messages held up for a long while; in life, a partner that comes at the 60th second).
    /// s3.0 leaves and its client pairs again; the room tells s2.1 PartnerLeft, then pairs the same two
    /// sessions again. s2.1 relayed m0 in the first pairing; it reaches s3.0 in the second (the same
    /// partner, the same code) and counts as its seq 1, so s2.1's first relay of the second pairing
    /// (also seq 1) is dropped as a duplicate: lost.
    /// </summary>
    [Fact(Skip = "fails: a relay of an earlier pairing of the same two sessions is taken into the next one, whose first relay is then dropped as a duplicate (reported)")]
    public void A_relay_from_an_earlier_pairing_of_the_same_two_sessions_does_not_swallow_the_next_pairings_first() =>
        AssertEveryPairMeetsAgain(Parse(
            "Deliver(51); Deliver(265); Deliver(173); Crash(515); Deliver(729); Advance(904); Deliver(244); Deliver(99); "
            + "Advance(994); Deliver(501); Advance(826); Deliver(693); Advance(714); Advance(860); Advance(452); Advance(950); "
            + "Deliver(283); Deliver(578); Advance(673); Advance(812); Deliver(190); Deliver(29); Advance(775); Deliver(107); "
            + "Advance(626); Advance(796); Advance(487); Advance(754); Advance(791); Advance(472); Advance(653); Advance(903); "
            + "Advance(555); Advance(854); Advance(779); Relay(634); Advance(283)"));

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
