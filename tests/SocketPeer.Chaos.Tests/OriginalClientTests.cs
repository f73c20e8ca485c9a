using SocketPeer.Chaos.Cli;
using SocketPeer.Chaos.Client;

namespace SocketPeer.Chaos.Tests;

/// <summary>
/// The original client's decisions without a server: its reconnect back-off (cvan/socketpeer's
/// 2^attempts × 1 s, capped at 30 s, reset by peer.found), what it does with each message, and
/// when it believes it is paired.
/// </summary>
public sealed class OriginalClientTests
{
    private static double Seconds(TimeSpan t) => t.TotalSeconds;

    /// <summary>A client that paired on its first socket, as every client does before a fault.</summary>
    private static OriginalClientRules Paired()
    {
        var rules = new OriginalClientRules();
        rules.Connecting();
        Assert.Equal(OriginalReaction.Paired, rules.OnMessage("peer.found"));
        return rules;
    }

    [Fact]
    public void After_a_pairing_consecutive_failures_wait_1_2_4_8_16_then_30_seconds()
    {
        var rules = Paired();
        var waits = new List<double> { Seconds(rules.OnSocketClosed()) };
        for (var i = 0; i < 7; i++)
        {
            rules.Connecting();
            waits.Add(Seconds(rules.OnSocketClosed())); // a reset, a refused connect, or a close after busy
        }

        Assert.Equal([1, 2, 4, 8, 16, 30, 30, 30], waits);
    }

    [Fact]
    public void A_peer_found_sets_the_back_off_back_to_one_second()
    {
        var rules = Paired();
        rules.OnSocketClosed();
        for (var i = 0; i < 4; i++)
        {
            rules.Connecting();
            rules.OnSocketClosed();
        }
        rules.Connecting();

        rules.OnMessage("peer.found");

        Assert.Equal(1, Seconds(rules.OnSocketClosed()));
    }

    [Fact]
    public void A_first_socket_that_never_pairs_waits_two_seconds_as_the_original_does()
    {
        // The original counts the attempt before connecting and only peer.found resets it.
        var rules = new OriginalClientRules();
        rules.Connecting();

        Assert.Equal(2, Seconds(rules.OnSocketClosed()));
    }

    [Fact]
    public void The_cap_holds_after_many_failures()
    {
        var backOff = new ReconnectBackOff();
        for (var i = 0; i < 100; i++) backOff.Attempting();

        Assert.Equal(ReconnectBackOff.Cap, backOff.DelayBeforeReconnect);
    }

    [Fact]
    public void Busy_closes_the_socket_and_the_retry_waits_the_next_back_off()
    {
        var rules = Paired();
        Assert.Equal(1, Seconds(rules.OnSocketClosed())); // the node died
        rules.Connecting();                                 // the next node in rotation

        Assert.Equal(OriginalReaction.CloseAndReconnect, rules.OnMessage("busy"));
        Assert.False(rules.Paired);
        Assert.Equal(2, Seconds(rules.OnSocketClosed()));
        rules.Connecting();
        Assert.Equal(OriginalReaction.CloseAndReconnect, rules.OnMessage("busy"));
        Assert.Equal(4, Seconds(rules.OnSocketClosed())); // busy twice: 1 + 2 + 4 s before the third try
    }

    [Fact]
    public void It_sends_from_peer_found_until_its_socket_closes()
    {
        var rules = new OriginalClientRules();
        rules.Connecting();
        Assert.False(rules.Paired);

        rules.OnMessage("peer.found");
        Assert.True(rules.Paired);

        rules.OnSocketClosed();
        Assert.False(rules.Paired);
    }

    [Theory]
    [InlineData("peer.left")]
    [InlineData("server.error")]
    [InlineData("session")]
    [InlineData("session.token")]
    [InlineData("rtc.signal")]
    [InlineData(null)]
    public void Types_it_has_no_handler_for_are_ignored_and_do_not_end_the_pairing(string? type)
    {
        var rules = Paired();

        Assert.Equal(OriginalReaction.Ignore, rules.OnMessage(type));
        Assert.True(rules.Paired); // peer.left included: the original keeps sending into the void
    }

    [Fact]
    public void Relayed_data_is_delivered() => Assert.Equal(OriginalReaction.Deliver, Paired().OnMessage("data"));

    [Theory]
    [InlineData(ClientMode.Resume, new[] { ClientKind.Resume, ClientKind.Resume, ClientKind.Resume })]
    [InlineData(ClientMode.Original, new[] { ClientKind.Original, ClientKind.Original, ClientKind.Original })]
    [InlineData(ClientMode.Mixed, new[] { ClientKind.Resume, ClientKind.Original, ClientKind.Resume })]
    public void Client_modes_give_each_pair_its_kind(ClientMode mode, ClientKind[] expected) =>
        Assert.Equal(expected, Enumerable.Range(0, 3).Select(i => mode.KindOf(i)));

    [Fact]
    public void The_command_line_defaults_to_resume_clients_and_a_five_second_bound()
    {
        var defaults = ChaosSettings.Parse([]);
        var mixed = ChaosSettings.Parse(["--clients", "mixed", "--original-bound", "7.5"]);

        Assert.Equal(ClientMode.Resume, defaults.Clients);
        Assert.Equal(5, defaults.OriginalBoundSeconds);
        Assert.Equal(ClientMode.Mixed, mixed.Clients);
        Assert.Equal(7.5, mixed.OriginalBoundSeconds);
        Assert.Throws<ArgumentException>(() => ChaosSettings.Parse(["--clients", "legacy"]));
    }
}
