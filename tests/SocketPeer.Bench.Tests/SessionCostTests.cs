using SocketPeer.Bench.Micro;
using SocketPeer.Bench.Session;

namespace SocketPeer.Bench.Tests;

/// <summary>The session machine micro-benchmark (bench/SocketPeer.Bench.Session) in smoke size: every relay reaches the client.</summary>
public sealed class SessionCostTests
{
    [Theory]
    [InlineData("plain")]
    [InlineData("acked")]
    public void Every_relay_reaches_the_client_and_its_cost_is_read(string mode)
    {
        // Measure throws unless the receiving machine hands the client every relay.
        var cost = SessionCost.Measure(mode, 1, 2_000);

        Assert.Equal(2_000, cost.Messages);
        Assert.True(cost.CpuMicrosPerMessage >= 0);
        // Each relay makes at least the message to the partner and the one to the client.
        Assert.True(cost.BytesPerMessage > 0);
    }

    [Fact]
    public async Task Two_session_actors_relay_every_message_and_read_their_cost()
    {
        await using var actors = await ActorRelayCost.StartAsync().WaitAsync(TimeSpan.FromMinutes(1));

        // Returns only once the receiving client got every relay (the window whole again).
        var cost = await Task.Run(() => actors.Measure(1, 2_000)).WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(2_000, cost.Messages);
        Assert.True(cost.CpuMicrosPerMessage > 0);
        Assert.True(cost.BytesPerMessage > 0);
    }

    [Fact]
    public void The_summary_takes_each_modes_median_and_fastest()
    {
        MessageCost Cost(string mode, double micros) => new(mode, 1, 10, micros, micros * 100);
        var summary = SessionSummary.Of([Cost("plain", 3), Cost("plain", 1), Cost("plain", 2), Cost("acked", 4), Cost("acked", 6)]);

        Assert.Equal(2, summary.PlainMicros);
        Assert.Equal(1, summary.PlainFastestMicros);
        Assert.Equal(5, summary.AckedMicros);
        Assert.Equal(200, summary.PlainBytes);
    }

    [Fact]
    public void An_unknown_mode_is_refused() =>
        Assert.Throws<ArgumentException>(() => SessionCost.Measure("nowhere", 1, 10));
}
