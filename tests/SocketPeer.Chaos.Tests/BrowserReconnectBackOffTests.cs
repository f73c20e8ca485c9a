using SocketPeer.Chaos.Client;

namespace SocketPeer.Chaos.Tests;

/// <summary>
/// The resume client's reconnect delay must be socketpeer.js's (<c>#afterSocketClosed</c>,
/// <c>#backoff</c>): a quick first reconnect after an abrupt drop, then 1, 2, 4 … s capped at 30 s,
/// each × U(0.5, 1), and a stable socket starting the count again. Jitter is passed in, so no test
/// waits or depends on chance.
/// </summary>
public sealed class BrowserReconnectBackOffTests
{
    private const int Reset = BrowserReconnectBackOff.AbnormalClosure;
    private const int Restart = BrowserReconnectBackOff.ServiceRestart;
    private const double Full = 1.0; // the top of U(0.5, 1): the base delay itself

    private static double Ms(TimeSpan t) => Math.Round(t.TotalMilliseconds, 3);

    /// <summary>A socket that was paired on drops with <paramref name="code"/>.</summary>
    private static TimeSpan PairedSocketDrops(BrowserReconnectBackOff backOff, int code, double jitter = Full) =>
        backOff.OnSocketClosed(code, TimeSpan.FromSeconds(3), pairedOnSocket: true, jitter);

    /// <summary>A connect attempt that never opened: a browser reports 1006.</summary>
    private static TimeSpan ConnectFails(BrowserReconnectBackOff backOff) =>
        backOff.OnSocketClosed(Reset, openFor: null, pairedOnSocket: false, Full);

    [Theory]
    [InlineData(Reset)]
    [InlineData(Restart)]
    public void An_abrupt_drop_of_a_paired_socket_is_retried_after_the_first_reconnect_delay(int code)
    {
        Assert.Equal(250, Ms(PairedSocketDrops(new BrowserReconnectBackOff(), code)));
    }

    [Fact]
    public void The_jitter_spans_half_to_all_of_the_delay()
    {
        Assert.Equal(125, Ms(PairedSocketDrops(new BrowserReconnectBackOff(), Reset, jitter: 0)));
        Assert.Equal(187.5, Ms(PairedSocketDrops(new BrowserReconnectBackOff(), Reset, jitter: 0.5)));
        Assert.Equal(500, Ms(new BrowserReconnectBackOff().OnSocketClosed(1000, TimeSpan.FromSeconds(3), pairedOnSocket: true, jitter: 0)));
    }

    [Theory]
    [InlineData(1000)] // closed by the client itself
    [InlineData(1001)]
    [InlineData(4000)] // the server's slow-consumer close
    public void Any_other_close_of_a_paired_socket_waits_the_reconnect_delay(int code)
    {
        Assert.Equal(1000, Ms(PairedSocketDrops(new BrowserReconnectBackOff(), code)));
    }

    [Fact]
    public void After_the_quick_first_reconnect_failures_wait_2_4_8_16_then_30_seconds()
    {
        var backOff = new BrowserReconnectBackOff();
        var waits = new List<double> { Ms(PairedSocketDrops(backOff, Reset)) };
        for (var i = 0; i < 6; i++) waits.Add(Ms(ConnectFails(backOff)));

        Assert.Equal([250, 2000, 4000, 8000, 16000, 30000, 30000], waits);
    }

    [Fact]
    public void A_short_lived_socket_that_never_paired_counts_as_a_failure()
    {
        var backOff = new BrowserReconnectBackOff();
        PairedSocketDrops(backOff, Reset);

        // Opened, then reset again before pairing or resuming: no second quick retry.
        var wait = backOff.OnSocketClosed(Reset, TimeSpan.FromSeconds(9.9), pairedOnSocket: false, Full);

        Assert.Equal(2000, Ms(wait));
        Assert.Equal(2, backOff.Failures);
    }

    [Fact]
    public void A_socket_open_for_ten_seconds_counts_as_stable_even_unpaired()
    {
        var backOff = new BrowserReconnectBackOff();
        PairedSocketDrops(backOff, Reset);
        ConnectFails(backOff);
        ConnectFails(backOff);

        var wait = backOff.OnSocketClosed(Reset, TimeSpan.FromSeconds(10), pairedOnSocket: false, Full);

        Assert.Equal(250, Ms(wait));
        Assert.Equal(1, backOff.Failures);
    }

    [Fact]
    public void A_pairing_after_failures_starts_the_count_again()
    {
        var backOff = new BrowserReconnectBackOff();
        PairedSocketDrops(backOff, Reset);
        ConnectFails(backOff);
        ConnectFails(backOff);

        Assert.Equal(250, Ms(PairedSocketDrops(backOff, Reset)));
    }

    [Fact]
    public void A_resumed_answer_resets_the_failures_even_when_the_socket_then_drops_unpaired()
    {
        // socketpeer.js sets #failures = 0 on every `resumed`, also one that says the pairing is gone.
        var backOff = new BrowserReconnectBackOff();
        PairedSocketDrops(backOff, Reset);
        ConnectFails(backOff);
        backOff.Connected();

        var wait = backOff.OnSocketClosed(Reset, TimeSpan.FromSeconds(1), pairedOnSocket: false, Full);

        Assert.Equal(250, Ms(wait));
    }

    [Fact]
    public void A_client_that_gives_up_on_an_unanswered_resume_is_not_an_abrupt_drop()
    {
        // The harness's own abort of a socket whose resume went unanswered is reported as 1000.
        var backOff = new BrowserReconnectBackOff();
        PairedSocketDrops(backOff, Reset);

        var wait = backOff.OnSocketClosed(BrowserReconnectBackOff.NormalClosure, TimeSpan.FromSeconds(10), pairedOnSocket: false, Full);

        Assert.Equal(1000, Ms(wait));
    }
}
