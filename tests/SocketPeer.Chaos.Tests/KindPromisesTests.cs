using SocketPeer.Chaos.Cli;
using SocketPeer.Chaos.Client;
using SocketPeer.Chaos.Faults;
using SocketPeer.Chaos.Report;

namespace SocketPeer.Chaos.Tests;

/// <summary>
/// Each kind of client judged by its own promises, on hand-made figures: original clients on pairs
/// coming back (no pair lost, no busy to touched pairs, back within the bound), never on messages;
/// resume clients on everything they promised before.
/// </summary>
public sealed class KindPromisesTests
{
    private static ChaosReport Report(ClientMode mode, params KindFigures[] kinds) => new()
    {
        Settings = new ChaosSettings { Fault = FaultKind.Kill9, Clients = mode, OriginalBoundSeconds = 5 },
        ByKind = [.. kinds],
    };

    private static KindFigures Original(double?[] outagesMs, int busyToTouched = 0, long lost = 0) => new()
    {
        Kind = ClientKind.Original,
        Pairs = outagesMs.Length,
        Messages = new DirectionStats(1000, 1000 - lost, lost, 0, 0, 0),
        TouchedPairs = outagesMs.Length,
        PairsLost = [.. outagesMs.Select((ms, i) => (ms, i)).Where(o => o.ms is null).Select(o => o.i)],
        BusyToTouched = busyToTouched,
        Busy = busyToTouched,
        Outages = [.. outagesMs.Select((ms, i) => new PairOutage(i, 0, ms, 0))],
    };

    private static KindFigures Resume(long lost = 0) => new()
    {
        Kind = ClientKind.Resume,
        Messages = new DirectionStats(1000, 1000 - lost, lost, 0, 0, 0),
    };

    private static Dictionary<string, bool> Check(ChaosReport r) => Promises.Check(r, []).ToDictionary(p => p.Name, p => p.Held);

    [Fact]
    public void Original_clients_that_lost_messages_but_came_back_in_time_keep_their_promises()
    {
        var held = Check(Report(ClientMode.Original, Original([1200, 3400, 4900], lost: 300)));

        Assert.Equal(3, held.Count);
        Assert.All(held, p => Assert.True(p.Value, p.Key));
    }

    [Fact]
    public void A_touched_pair_that_never_comes_back_breaks_no_pair_lost_and_the_bound()
    {
        var held = Check(Report(ClientMode.Original, Original([1200, null])));

        Assert.False(held["original clients: no pair lost"]);
        Assert.False(held["original clients: touched pairs relay again within 5 s"]);
        Assert.True(held["original clients: no busy to touched pairs"]);
    }

    [Fact]
    public void A_busy_to_a_touched_pair_is_a_broken_promise_even_when_the_pair_came_back()
    {
        var held = Check(Report(ClientMode.Original, Original([1200, 3000], busyToTouched: 1)));

        Assert.False(held["original clients: no busy to touched pairs"]);
        Assert.True(held["original clients: no pair lost"]);
    }

    [Fact]
    public void A_pair_back_after_the_bound_breaks_only_the_bound()
    {
        var held = Check(Report(ClientMode.Original, Original([1200, 5001])));

        Assert.False(held["original clients: touched pairs relay again within 5 s"]);
        Assert.True(held["original clients: no pair lost"]);
    }

    [Fact]
    public void In_a_mixed_run_a_lost_message_breaks_the_resume_clients_promise_only()
    {
        var held = Check(Report(ClientMode.Mixed, Resume(lost: 1), Original([1200], lost: 50)));

        Assert.False(held["resume clients: no message lost"]);
        Assert.All(held.Where(p => p.Key.StartsWith("original", StringComparison.Ordinal)), p => Assert.True(p.Value, p.Key));
    }

    [Fact]
    public void Resume_only_runs_keep_the_promise_names_they_always_had()
    {
        var names = Check(Report(ClientMode.Resume, Resume())).Keys;

        Assert.Equal(["no message lost", "no message duplicated", "no message out of order", "nothing unexpected", "no pair lost", "pairings hold"], names);
    }
}
