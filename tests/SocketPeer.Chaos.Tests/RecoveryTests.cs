using SocketPeer.Chaos.Report;

namespace SocketPeer.Chaos.Tests;

/// <summary>Time from a fault to a pair relaying both ways again, on hand-made arrivals.</summary>
public sealed class RecoveryTests
{
    [Fact]
    public void A_pair_recovers_when_both_directions_deliver_a_message_sent_after_the_disruption()
    {
        // Fault at 1000 ms; a socket dropped at 1200 ms. The dying node still delivered one message
        // sent at 1100 ms, which must not count.
        Arrival[] aToB = [new(1, 900, 950), new(2, 1100, 1150), new(3, 1300, 2500)];
        Arrival[] bToA = [new(1, 1250, 1800), new(2, 1400, 1450)];

        var ms = Recovery.OfPair(1000, sentAfterMs: 1200, aToB, bToA);

        Assert.Equal(1500, ms); // a→b first works again at 2500; b→a at 1450 (arrival order, not number order)
    }

    [Fact]
    public void A_direction_that_never_delivers_again_loses_the_pair()
    {
        Arrival[] aToB = [new(1, 900, 950)];
        Arrival[] bToA = [new(1, 1300, 1400)];

        Assert.Null(Recovery.OfPair(1000, 1000, aToB, bToA));
    }

    [Fact]
    public void The_last_drop_within_the_window_is_the_reference()
    {
        Assert.Equal(1700, Recovery.LastDrop(1000, 5000, [500, 1200, 1700, 9000]));
        Assert.Null(Recovery.LastDrop(1000, 5000, [500, 9000]));
    }

    [Theory]
    [InlineData(0.5, 20)]
    [InlineData(1.0, 40)]
    [InlineData(0.0, 10)]
    public void Quantiles_are_nearest_rank(double q, double expected)
    {
        Assert.Equal(expected, Recovery.Quantile([40, 10, 30, 20], q));
    }

    [Fact]
    public void No_values_have_no_quantile() => Assert.Null(Recovery.Quantile([], 0.5));
}
