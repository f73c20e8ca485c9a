using SocketPeer.Bench.Lane;
using SocketPeer.Bench.Micro;

namespace SocketPeer.Bench.Tests;

/// <summary>The lane micro-benchmark (bench/SocketPeer.Bench.Lane) in smoke size: both paths deliver every message.</summary>
public sealed class LaneCostTests
{
    [Fact]
    public async Task Both_paths_deliver_every_message_and_read_their_cost()
    {
        await using var bench = new LaneCost();

        // Each measurement returns only once the stand-in session acknowledged every message.
        var lane = await bench.MeasureAsync("lane", 1, 2_000).WaitAsync(TimeSpan.FromMinutes(1));
        var direct = await bench.MeasureAsync("direct", 1, 2_000).WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(2_000, lane.Messages);
        Assert.Equal(2_000, direct.Messages);
        Assert.True(lane.CpuMicrosPerMessage > 0);
        Assert.True(direct.CpuMicrosPerMessage > 0);
        // The lane boxes its element and wakes its graph through an async callback; a Tell allocates nothing.
        Assert.True(lane.BytesPerMessage > direct.BytesPerMessage);
    }

    [Fact]
    public void The_summary_takes_each_paths_median()
    {
        MessageCost Cost(string path, double micros) => new(path, 1, 10, micros, micros * 100);
        var summary = LaneSummary.Of([Cost("lane", 3), Cost("lane", 1), Cost("lane", 2), Cost("direct", 0.5), Cost("direct", 1.5)]);

        Assert.Equal(2, summary.LaneMicros);
        Assert.Equal(1, summary.DirectMicros);
        Assert.Equal(1, summary.AddedMicros);
        Assert.Equal(200, summary.LaneBytes);
    }

    [Fact]
    public async Task An_unknown_path_is_refused()
    {
        await using var bench = new LaneCost();
        await Assert.ThrowsAsync<ArgumentException>(() => bench.MeasureAsync("nowhere", 1, 10));
    }
}
