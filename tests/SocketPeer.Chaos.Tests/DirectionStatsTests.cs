using SocketPeer.Chaos.Report;

namespace SocketPeer.Chaos.Tests;

/// <summary>Lost, duplicated and out-of-order detection on hand-made logs.</summary>
public sealed class DirectionStatsTests
{
    private static Sent[] Sent(params long[] numbers) => numbers.Select(n => new Sent(n, n * 10)).ToArray();
    private static Arrival[] Arrived(params long[] numbers) => numbers.Select((n, i) => new Arrival(n, n * 10, 1000 + i)).ToArray();

    [Fact]
    public void Everything_once_in_order_is_perfect()
    {
        var stats = DirectionStats.Of(Sent(1, 2, 3), Arrived(1, 2, 3));

        Assert.Equal(new DirectionStats(3, 3, 0, 0, 0, 0), stats);
        Assert.True(stats.Perfect);
    }

    [Fact]
    public void A_number_that_never_arrives_is_lost()
    {
        var stats = DirectionStats.Of(Sent(1, 2, 3, 4), Arrived(1, 3));

        Assert.Equal(2, stats.Lost);
        Assert.Equal(2, stats.Delivered);
        Assert.Equal(0, stats.OutOfOrder); // a gap is a loss, not a reordering
    }

    [Fact]
    public void A_second_arrival_is_a_duplicate_and_not_a_reordering()
    {
        var stats = DirectionStats.Of(Sent(1, 2, 3), Arrived(1, 2, 2, 3, 1));

        Assert.Equal(2, stats.Duplicated);
        Assert.Equal(0, stats.OutOfOrder);
        Assert.Equal(0, stats.Lost);
    }

    [Fact]
    public void A_number_arriving_after_a_higher_one_is_out_of_order()
    {
        var stats = DirectionStats.Of(Sent(1, 2, 3, 4), Arrived(1, 3, 2, 4));

        Assert.Equal(1, stats.OutOfOrder);
        Assert.Equal(0, stats.Lost);
        Assert.False(stats.Perfect);
    }

    [Fact]
    public void A_late_block_counts_each_late_message()
    {
        // 3 and 4 were held back (a replay after a resume that came after live traffic, say).
        var stats = DirectionStats.Of(Sent(1, 2, 3, 4, 5, 6), Arrived(1, 2, 5, 6, 3, 4));

        Assert.Equal(2, stats.OutOfOrder);
    }

    [Fact]
    public void A_number_nobody_sent_is_unexpected()
    {
        var stats = DirectionStats.Of(Sent(1, 2), Arrived(1, 2, 9));

        Assert.Equal(1, stats.Unexpected);
        Assert.Equal(2, stats.Delivered);
    }

    [Fact]
    public void Sums_add_field_by_field()
    {
        var sum = new DirectionStats(3, 2, 1, 0, 1, 0) + new DirectionStats(5, 5, 0, 2, 0, 1);

        Assert.Equal(new DirectionStats(8, 7, 1, 2, 1, 1), sum);
    }
}
