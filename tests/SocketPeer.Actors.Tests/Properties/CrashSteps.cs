using FsCheck;
using FsCheck.Fluent;
using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Tests.Infrastructure.Cluster;

namespace SocketPeer.Actors.Tests.Properties;

internal enum CrashStepKind { Deliver, Relay, Close, Advance, Crash, Restart }

/// <summary>One step of a crash run: a message moves, a client acts, time passes, or a node crashes or restarts.</summary>
internal sealed record CrashStep(CrashStepKind Kind, int Arg)
{
    public override string ToString() => $"{Kind}({Arg})";
}

/// <summary>
/// Random runs of a <see cref="ClusterWorld"/>: three nodes, two pairs of original-protocol clients
/// (c0 and c1 share "x", c2 and c3 share "y"), crashes interleaved with deliveries, relays, dropped
/// sockets and the passing of time.
/// </summary>
internal static class CrashSteps
{
    public const int Nodes = 3;
    public static readonly PairCode[] ClientCodes = [new("x"), new("x"), new("y"), new("y")];
    public static readonly (int A, int B)[] Pairs = [(0, 1), (2, 3)];

    /// <summary>
    /// After the last fault, and once its node is removed, every pair must be paired again within the
    /// longest back-off any client has reached (it may have just started waiting it) plus this. Why
    /// 5 s: after the removal nothing of the dead node is in the way any more, so the first attempt of
    /// each client after it succeeds; what remains is the room's seat check (its deadline is 2 s, and
    /// a holder on a removed node answers at once from a fresh entity), a join re-sent (every 500 ms),
    /// and slack for one more round of either. Message delivery takes no simulated time. Measured on
    /// 2026-12-05 (about 21,000 runs on main at 72b8150 and cf74206, with the failures reported in
    /// CrashRegressionTests fixed or masked by hand): every pair was paired by quiet + longest back-off
    /// itself, never later, so the 5 s are margin, not a fit to what was observed.
    /// </summary>
    public static readonly TimeSpan Slack = TimeSpan.FromSeconds(5);

    private static readonly Gen<CrashStep> Step =
        from kind in Gen.Frequency(
            (20, Gen.Constant(CrashStepKind.Deliver)),
            (5, Gen.Constant(CrashStepKind.Relay)),
            (2, Gen.Constant(CrashStepKind.Close)),
            (10, Gen.Constant(CrashStepKind.Advance)),
            (1, Gen.Constant(CrashStepKind.Crash)),
            (1, Gen.Constant(CrashStepKind.Restart)))
        from arg in Gen.Choose(0, 1000)
        select new CrashStep(kind, arg);

    /// <summary>Runs of up to 150 steps; a failing run shrinks by dropping steps.</summary>
    public static Arbitrary<CrashStep[]> Runs { get; } = Arb.From(
        Gen.Choose(0, 150).SelectMany(n => Gen.ArrayOf(Step, n)),
        Shrinks.Shorter);

    /// <summary>Plays the steps on a fresh world, exactly as given (no fair delivery after them).</summary>
    public static ClusterWorld Play(IEnumerable<CrashStep> run, TimeSpan? peerTimeout = null)
    {
        var world = new ClusterWorld(Nodes, ClientCodes, peerTimeout);
        foreach (var step in run)
        {
            switch (step.Kind)
            {
                case CrashStepKind.Deliver: world.DeliverOne(step.Arg); break;
                case CrashStepKind.Relay: world.Relay(step.Arg % ClientCodes.Length); break;
                case CrashStepKind.Close: world.Close(step.Arg % ClientCodes.Length); break;
                // Up to 4 s at once: longer than detection alone, shorter than detection and removal.
                case CrashStepKind.Advance: world.Advance(TimeSpan.FromMilliseconds(step.Arg * 4)); break;
                // Every other crash is silent: no connection reset tells the survivors early.
                case CrashStepKind.Crash when world.CanCrash(step.Arg % Nodes):
                    world.Crash(step.Arg % Nodes, silent: step.Arg / Nodes % 2 == 1);
                    break;
                case CrashStepKind.Restart when world.CanRestart(step.Arg % Nodes): world.Restart(step.Arg % Nodes); break;
            }
        }
        return world;
    }

    /// <summary>
    /// Liveness: fair delivery until the last crash's node is removed, then until the bound; every
    /// pair must then be paired with each other and relay both ways. Null when it holds, else why not.
    /// </summary>
    public static string? CheckLiveness(ClusterWorld world)
    {
        world.RunFairlyUntil(world.LastRemoval > world.Now ? world.LastRemoval : world.Now);
        var quiet = world.Now;
        var longestBackoff = world.Clients.Max(c => c.LongestBackoff);
        var deadline = quiet + longestBackoff + Slack;
        world.RunFairlyUntil(deadline);

        foreach (var (a, b) in Pairs)
        {
            if (!world.PairedWithEachOther(a, b))
                return $"at {deadline.TotalSeconds:0.###}s (quiet since {quiet.TotalSeconds:0.###}s, longest back-off "
                    + $"{longestBackoff.TotalSeconds:0}s), c{a} and c{b} are not paired with each other:"
                    + $"{Environment.NewLine}  {world.Describe(a)}{Environment.NewLine}  {world.Describe(b)}";
            // Two relays each way, and the second must arrive: the first relay of a new pairing of the
            // same two sessions can still be lost to a stale relay of their earlier pairing (relays
            // carry no pairing identity: CrashRegressionTests, skipped, and the issue 13 note). Original
            // clients have no promise about messages; this property is about pairs relaying again.
            world.Relay(a);
            world.Relay(b);
            world.Settle();
            var fromA = world.Relay(a)!;
            var fromB = world.Relay(b)!;
            world.Settle();
            if (!world.Clients[b].ReceivedPayloads.Contains(fromA) || !world.Clients[a].ReceivedPayloads.Contains(fromB))
                return $"c{a} and c{b} are paired, but a relay between them was not delivered";
        }
        return null;
    }
}
