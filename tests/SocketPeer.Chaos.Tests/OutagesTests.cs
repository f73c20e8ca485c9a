using SocketPeer.Chaos.Client;
using SocketPeer.Chaos.Report;

namespace SocketPeer.Chaos.Tests;

/// <summary>Which pairs a fault touched, their outage and the busy answers they got, on hand-made timelines.</summary>
public sealed class OutagesTests
{
    private const double Fault = 10_000;
    private const double Window = 60_000;
    private const double Stalled = 1_000;

    private static PairTimeline Pair(double[] drops, double[] busy, Arrival[] aToB, Arrival[] bToA) =>
        new(7, ClientKind.Original, drops, busy, aToB, bToA);

    [Fact]
    public void A_dropped_pair_is_touched_and_its_busy_answers_after_the_fault_count()
    {
        // Dropped at the fault, busy twice on the way back (one busy before the fault does not count),
        // relaying both ways at 13.5 s with messages sent after the last drop (the close after the second busy).
        var o = Outages.Of(Fault, Window, Stalled, Pair([10_050, 11_100, 13_100], [5_000, 11_100, 13_100],
            [new(1, 9_000, 9_001), new(2, 13_300, 13_301)], [new(1, 13_400, 13_500)]));

        Assert.True(o.Touched);
        Assert.True(o.Dropped);
        Assert.Equal(2, o.Busy);
        Assert.Equal(3_500, o.Ms);
    }

    [Fact]
    public void A_pair_whose_sockets_lived_and_whose_relay_never_paused_is_not_touched()
    {
        var o = Outages.Of(Fault, Window, Stalled, Pair([], [],
            [new(1, 10_100, 10_101)], [new(1, 10_200, 10_201)]));

        Assert.False(o.Touched);
        Assert.Equal(0, o.Busy);
    }

    [Fact]
    public void A_pair_that_never_relays_again_is_touched_and_has_no_outage_end()
    {
        var o = Outages.Of(Fault, Window, Stalled, Pair([10_050], [11_000], [new(1, 9_000, 9_001)], []));

        Assert.True(o.Touched);
        Assert.Null(o.Ms);
    }

    [Fact]
    public void A_stalled_relay_without_a_dropped_socket_is_touched()
    {
        var o = Outages.Of(Fault, Window, Stalled, Pair([], [],
            [new(1, 10_100, 14_000)], [new(1, 10_200, 10_201)]));

        Assert.True(o.Touched);
        Assert.False(o.Dropped);
        Assert.Equal(4_000, o.Ms);
    }

    [Fact]
    public void A_socket_reset_between_the_kill_signal_and_the_reaping_belongs_to_the_fault()
    {
        // SIGKILL sent at 9 950 ms, the process reaped (the fault's instant) at 10 000 ms; the
        // client's socket was reset at 9 960 ms, and a busy came at 9 990 ms.
        var timeline = Pair([9_960], [9_990], [new(1, 9_970, 11_000)], [new(1, 9_980, 11_500)]);

        var withSignal = Outages.Of(Fault, Window, Stalled, timeline, effectFromMs: 9_950);
        var withoutSignal = Outages.Of(Fault, Window, Stalled, timeline);

        Assert.True(withSignal.Dropped);
        Assert.Equal(1, withSignal.Busy);
        Assert.Equal(1_500, withSignal.Ms); // measured from the instant, with messages sent after the reset
        Assert.False(withoutSignal.Dropped);
    }
}
