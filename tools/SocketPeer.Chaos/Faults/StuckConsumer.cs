using SocketPeer.Chaos.Client;

namespace SocketPeer.Chaos.Faults;

/// <summary>
/// A few clients stop reading while their partners flood them with big messages. The server must
/// close each of them with 4000 once its outbound queue is full, and no other pair may notice.
/// After <c>--stuck-seconds</c> the stuck clients read again (and find the 4000 close frame, which
/// the nodes keep for up to their CloseTimeout, raised to 60 s for this fault).
/// </summary>
public static class StuckConsumer
{
    /// <summary>Each stuck pair keeps tens of MB of unacknowledged flood in its sender; a few make the point.</summary>
    public const int MaxStuckPairs = 3;

    public static int CountFor(int pairs, double fraction) =>
        Math.Clamp((int)Math.Round(pairs * fraction), 1, Math.Min(MaxStuckPairs, Math.Max(1, pairs - 1)));

    public static async Task RunAsync(FaultContext context, CancellationToken cancel)
    {
        var stuck = context.Pairs.Take(CountFor(context.Pairs.Count, context.Settings.StuckFraction)).ToList();
        foreach (var pair in stuck)
        {
            pair.Stuck = true;
            // Stuck pairs are always ChaosPeer pairs that never opt into resume (ChaosRun makes them so).
            ((ChaosPeer)pair.B).SetStuck(true);
        }
        context.Traffic.Flooding = true;
        context.Record($"{stuck.Count} clients stop reading (pairs {string.Join(", ", stuck.Select(p => p.Id))}); their partners flood them", null);
        await Task.Delay(TimeSpan.FromSeconds(context.Settings.StuckSeconds), cancel);
        context.Traffic.Flooding = false;
        foreach (var pair in stuck) ((ChaosPeer)pair.B).SetStuck(false);
        context.Record("stuck clients read again", null, disruptive: false);
    }
}
