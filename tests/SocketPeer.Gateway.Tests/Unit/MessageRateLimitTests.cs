using SocketPeer.Gateway.Connections;

namespace SocketPeer.Gateway.Tests.Unit;

public sealed class MessageRateLimitTests
{
    private readonly ManualTime _time = new();

    [Fact]
    public void A_full_burst_is_allowed_at_once()
    {
        var limit = new MessageRateLimit(perSecond: 10, burst: 3, _time);
        Assert.All(Enumerable.Range(0, 3), _ => Assert.Equal(RateVerdict.Allow, limit.Take()));
    }

    [Fact]
    public void Past_the_burst_the_first_drop_warns_and_the_next_are_silent()
    {
        var limit = new MessageRateLimit(perSecond: 10, burst: 3, _time);
        for (var i = 0; i < 3; i++) limit.Take();

        Assert.Equal(RateVerdict.DropAndWarn, limit.Take());
        Assert.Equal(RateVerdict.Drop, limit.Take());
    }

    [Fact]
    public void Flooding_for_another_whole_burst_after_the_warning_disconnects()
    {
        var limit = new MessageRateLimit(perSecond: 10, burst: 3, _time);
        for (var i = 0; i < 3; i++) limit.Take();

        var verdicts = Enumerable.Range(0, 4).Select(_ => limit.Take()).ToArray();

        Assert.Equal([RateVerdict.DropAndWarn, RateVerdict.Drop, RateVerdict.Drop, RateVerdict.Disconnect], verdicts);
    }

    [Fact]
    public void Tokens_come_back_at_the_sustained_rate_and_end_a_run_of_drops()
    {
        var limit = new MessageRateLimit(perSecond: 10, burst: 3, _time);
        for (var i = 0; i < 3; i++) limit.Take();
        Assert.Equal(RateVerdict.DropAndWarn, limit.Take());

        _time.Advance(TimeSpan.FromMilliseconds(100)); // one token at 10/s

        Assert.Equal(RateVerdict.Allow, limit.Take());
        Assert.Equal(RateVerdict.DropAndWarn, limit.Take()); // a new run of drops warns again
    }

    [Fact]
    public void An_idle_connection_refills_to_the_burst_and_no_further()
    {
        var limit = new MessageRateLimit(perSecond: 10, burst: 3, _time);
        for (var i = 0; i < 3; i++) limit.Take();

        _time.Advance(TimeSpan.FromHours(1));

        Assert.All(Enumerable.Range(0, 3), _ => Assert.Equal(RateVerdict.Allow, limit.Take()));
        Assert.Equal(RateVerdict.DropAndWarn, limit.Take());
    }

    private sealed class ManualTime : TimeProvider
    {
        private long _ticks;
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public override long GetTimestamp() => _ticks;
        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
