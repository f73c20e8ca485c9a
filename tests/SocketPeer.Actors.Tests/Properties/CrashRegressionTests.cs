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
    /// Found on the seat-check code (main at 72b8150); passes since the re-join retry (ca295b5). c2's
    /// session waits in room "y" on n0; n0 dies (silently) and is removed; the session hears its room
    /// terminated and joins again, toward the room's new home n1; n0 restarts and n1 dies at once, with
    /// that join in flight. A re-join after a lost room is sent once: the session stays Waiting in a room
    /// that does not hold it and watches nothing, and c3's new session waits alone in the rebuilt room.
    /// Neither is ever paired (until the peer timeout, which the original client does not answer).
    /// </summary>
    [Fact]
    public void A_rejoin_after_a_lost_room_lost_with_the_next_home_is_sent_again() =>
        AssertEveryPairMeetsAgain(Parse(
            "Deliver(511); Deliver(372); Deliver(602); Deliver(462); Deliver(556); Deliver(298); Deliver(305); Deliver(498); "
            + "Crash(585); Advance(720); Advance(667); Advance(371); Deliver(409); Restart(630); Crash(793)"));

    /// <summary>
    /// Found on the seat-check code (main at 72b8150); passes since PartnerGone (f2e8374). c0 drops its
    /// first socket just after the room (on n2) paired its session s0.0 with c1's s1.0; s0.0 ends and
    /// leaves, c0's new session s0.1 takes the seat, and the room tells s1.0 PartnerLeft and
    /// PeerFound(s0.1), but n2 dies with both in flight. s1.0 stays Paired with s0.0, which is gone, and
    /// watches nothing of it (s0.0's hello came while s1.0 was still joining; s1.0's own hello made a
    /// fresh, unattached s0.0 that answers nothing). At n2's removal both re-join the rebuilt room naming
    /// their partners, s1.0 naming s0.0 and s0.1 naming s1.0, so the room seats both without pairing them.
    /// Both clients believe they are paired; nothing they relay is ever delivered.
    /// </summary>
    [Fact]
    public void A_pairing_with_a_session_that_ended_is_undone_when_the_room_that_made_it_is_lost() =>
        AssertEveryPairMeetsAgain(Parse(
            "Deliver(277); Deliver(587); Deliver(561); Deliver(584); Deliver(700); Deliver(398); Deliver(382); Deliver(889); "
            + "Close(532); Deliver(113); Close(866); Deliver(739); Deliver(279); Deliver(216); Advance(705); Deliver(691); "
            + "Deliver(230); Deliver(238); Advance(568); Deliver(890); Deliver(776); Deliver(119); Deliver(386); Crash(251)"));

    /// <summary>
    /// Found on the seat-check code (main at 72b8150), still failing at cf74206, and not about crashes
    /// (none happens here). c0's session s0.0 waits
    /// in room "x"; c1's s1.0 joins, and the room pairs them, but messages are held up long enough
    /// (in life: c1 comes at the 60th second) that s0.0's peer timeout fires before its PeerFound
    /// arrives. s0.0 leaves; c0 sends pair again; the room tells s1.0 PartnerLeft, then pairs the
    /// same two sessions again. s1.0 relayed m0 in the first pairing; it reaches s0.0 in the second
    /// (same partner, same code) and counts as its seq 1, so s1.0's first relay of the second pairing
    /// (m2, also seq 1) is dropped as a duplicate: lost, though both clients are paired.
    /// </summary>
    [Fact]
    public void A_relay_from_an_earlier_pairing_of_the_same_two_sessions_does_not_swallow_the_next_pairings_first() =>
        AssertEveryPairMeetsAgain(Parse(
            "Deliver(788); Close(430); Deliver(928); Deliver(887); Deliver(419); Advance(586); Deliver(860); Advance(677); "
            + "Advance(757); Advance(577); Advance(412); Deliver(749); Advance(833); Advance(846); Advance(790); Advance(828); "
            + "Advance(545); Advance(257); Advance(952); Deliver(500); Advance(365); Advance(605); Advance(393); Advance(618); "
            + "Advance(498); Advance(981); Advance(244); Advance(590); Deliver(664); Advance(725); Advance(327); Deliver(738); "
            + "Advance(925); Advance(884); Deliver(836); Relay(509)"));

    /// <summary>
    /// Found on the seat-check code (main at 72b8150); passes since PartnerGone (f2e8374) and since a join
    /// during a check no longer vouches (6dcd710). Another way into the case above, where c1's new session
    /// ends up paired with c1's own ended session. c1 drops two sockets quickly; its first session s1.0
    /// ends, but its last join retry and its LeaveRoom are slow to reach room "x" (on n2). c1's third
    /// session s1.2 knocks on the full room [s1.0, s1.1]; during the check s1.0's stale retry arrives and
    /// vouches for s1.0's seat (a member's join during a check counts as holding it), so s1.1's seat goes
    /// to s1.2, which is paired with s1.0. s1.0's LeaveRoom then puts it right in the room (s1.2 with c0's
    /// s0.1), but the PartnerLeft and PeerFound that tell s1.2 die with n2; the rebuilt room seats s1.2
    /// (naming s1.0) and s0.1 (naming s1.2) without pairing them.
    /// </summary>
    [Fact]
    public void A_session_paired_with_its_own_clients_ended_session_is_undone_when_the_room_is_lost() =>
        AssertEveryPairMeetsAgain(Parse(
            "Deliver(33); Deliver(414); Deliver(769); Deliver(823); Close(189); Advance(683); Deliver(125); Deliver(429); "
            + "Crash(246); Deliver(290); Deliver(681); Deliver(961); Deliver(55); Close(765); Advance(633); Deliver(448); "
            + "Advance(442); Deliver(391); Deliver(90); Advance(958); Deliver(799); Close(211); Deliver(945); Deliver(250); "
            + "Deliver(477); Deliver(53); Deliver(480); Advance(745); Deliver(211); Deliver(752); Deliver(766); Deliver(546); "
            + "Deliver(713); Restart(288); Crash(668)"));

    /// <summary>
    /// Found on the code with PartnerGone (main at cf74206); passes since a paired session that watches
    /// no partner says hello again and asks for one back. c0's session s0.0 is seated in room "x"
    /// (on n2) when n0, its node, dies silently. c1's s1.0 joins; the room vacates s0.0's seat only
    /// once n0 is unreachable, and pairs s1.0 with s0.0 before that. s1.0's hello to s0.0 goes to n0,
    /// not yet removed, and is lost: no fresh incarnation ever hears it, so no PartnerGone comes back,
    /// and s1.0 never watches s0.0 (s0.0 never says hello). c0's new session s0.1 takes s0.0's seat,
    /// but the room's PartnerLeft and PeerFound(s0.1) to s1.0 die with n2 (kill -9, after n0 came back).
    /// The rebuilt room then seats s1.0 (naming s0.0) and s0.1 (naming s1.0) without pairing them: both
    /// clients believe they are paired, and stay so until one of them relays something.
    /// </summary>
    [Fact]
    public void A_pairing_whose_hello_was_lost_with_the_partners_node_is_undone() =>
        AssertEveryPairMeetsAgain(Parse(
            "Deliver(230); Deliver(529); Deliver(497); Deliver(816); Deliver(510); Deliver(705); Deliver(76); "
            + "Deliver(44); Deliver(157); Deliver(121); Crash(471); Advance(703); Deliver(101); Deliver(98); "
            + "Deliver(609); Deliver(778); Advance(612); Deliver(672); Advance(159); Deliver(313); Deliver(871); "
            + "Advance(344); Deliver(979); Restart(543); Deliver(983); Crash(740)"));

    /// <summary>
    /// Found on main at cf74206 (about once in 24,000 random runs); passes since the room forgets a
    /// partner given up on (main at 3733b25). c1's first session s1.0 joins room
    /// "x" (on n2) and ends, but n1 dies silently with its LeaveRoom, and the room pairs c0's s0.0 with
    /// s1.0. When c1's third session s1.2 knocks, n1 is unreachable, so s1.0's seat goes to s1.2; n2
    /// then dies silently with the PartnerLeft and PeerFound(s1.2) meant for s0.0. At n2's removal s0.0
    /// re-joins the rebuilt room naming s1.0, and s1.2 naming s0.0: seated, not paired (two members
    /// that name others). s0.0's hello to s1.0 is answered PartnerGone, so s0.0 gives up on s1.0
    /// (peer.left, Waiting, LeaveRoom(s1.0), which the room ignores: s1.0 holds no seat). The room
    /// keeps [s0.0, s1.2] unpaired and never tells s0.0 of s1.2: c1 believes it is paired, c0 waits
    /// (until its peer timeout, which the original client does not answer).
    /// </summary>
    [Fact]
    public void A_member_that_gives_up_on_the_partner_it_named_is_paired_with_the_other_seat() =>
        AssertEveryPairMeetsAgain(Parse(
            "Deliver(585); Close(457); Deliver(291); Advance(926); Close(449); Advance(620); Deliver(557); "
            + "Deliver(493); Deliver(633); Deliver(673); Deliver(210); Deliver(773); Deliver(150); Deliver(669); "
            + "Deliver(480); Deliver(236); Deliver(711); Crash(166); Advance(798); Advance(950); Deliver(633); "
            + "Advance(55); Restart(637); Deliver(521); Deliver(196); Crash(119); Advance(549); Advance(873); "
            + "Advance(674)"));

    /// <summary>
    /// Found on main at d693fbc; passes since a room asks a lone member whose node was removed before
    /// pairing a newcomer with it. c0's session s0.0 waits alone in room "x" (on n2) when n0 is killed;
    /// n0 is removed at 4.3 s, but nothing tells the room. c0's new session s0.1 joins at 7.6 s: the
    /// seat of a removed node's session counts as reachable (SessionNodeStatus.IsUnreachable: its sessions
    /// are rebuilt where asked for), the room is not full, so s0.1 is paired with s0.0, c0's own dead
    /// session (c0 hears peer.found). c1's s1.0 knocks; the check's deadline vacates s0.0 and s0.1,
    /// and the room pairs s0.1 with s1.0, but n2 dies silently with the PartnerLeft and PeerFound that
    /// would tell s0.1, whose hello to s0.0 is lost with them. The rebuilt room seats s0.1 (naming
    /// s0.0) and s1.0 (naming s0.1) without pairing them, and nothing sends s0.0 a hello or a relay to
    /// be answered PartnerGone: both clients believe they are paired.
    /// </summary>
    [Fact]
    public void A_new_session_is_not_left_paired_with_its_own_clients_session_of_a_removed_node() =>
        AssertEveryPairMeetsAgain(Parse(
            "Deliver(120); Deliver(422); Deliver(120); Deliver(847); Deliver(203); Deliver(31); Deliver(78); "
            + "Deliver(183); Close(403); Crash(480); Advance(905); Deliver(209); Advance(992); Deliver(955); "
            + "Deliver(603); Deliver(27); Deliver(136); Advance(957); Deliver(652); Deliver(751); Deliver(287); "
            + "Deliver(987); Deliver(75); Deliver(612); Restart(894); Crash(809)"));

    /// <summary>
    /// A livelock, found on main at 3733b25 (once in 96,000 random runs). Room "x" (on n2) pairs c0's
    /// s0.0 with c1's s1.0; c1's socket drops and n2 dies silently. c1's new session s1.1 knocks on the
    /// rebuilt room [s0.0, s1.0] (both re-joined naming each other); the answers are late, the deadline
    /// vacates both seats and s1.1 takes one; s0.0's re-join then sits beside s1.1, and s1.0's re-join,
    /// naming s0.0, is held by a new check. s1.0 ends: its LeaveRoom is taken for s0.0 forgetting the
    /// partner it named (RoomState.Forget) and does not drop s1.0 from the check. s0.0 then loses its
    /// seat and ends too; its seat is marked away. From there, at 16.316 s and for ever: the check
    /// settles (s1.1 holds, s0.0 is vacant), s1.0's join is handled again, but the away seat is the one
    /// it names as its partner, so it is not taken over and the full room holds the join in a new
    /// check; CheckSeat makes a fresh s0.0 that answers SeatVacant at once, and round it goes, making
    /// and stopping a session entity each time, with no timer in the loop. Passes since newcomers that
    /// join again after a check hear busy rather than start another, and a newcomer's LeaveRoom drops
    /// it from the check even when a member names it.
    /// </summary>
    [Fact]
    public void A_seat_check_whose_newcomer_names_the_vacant_seats_holder_ends() =>
        AssertEveryPairMeetsAgain(Parse(
            "Deliver(337); Deliver(936); Deliver(797); Deliver(820); Deliver(789); Deliver(855); Deliver(835); "
            + "Deliver(733); Deliver(277); Deliver(374); Deliver(417); Deliver(381); Close(177); Deliver(833); "
            + "Crash(155); Advance(597); Deliver(128); Advance(606); Advance(909); Deliver(561); Close(866); "
            + "Advance(542); Deliver(445); Deliver(395); Deliver(314); Close(270); Deliver(460); Deliver(312); "
            + "Deliver(359); Advance(471); Advance(954); Deliver(676); Deliver(379)"));

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
