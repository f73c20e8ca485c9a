using System.Net;
using Microsoft.AspNetCore.Builder;
using SocketPeer.Gateway.Limits;
using SocketPeer.Gateway.Options;

namespace SocketPeer.Gateway.Tests.Unit;

public sealed class ClientAddressTests
{
    [Theory]
    [InlineData("2001:db8:1:2:aaaa::1", "2001:db8:1:2:ffff:ffff:ffff:ffff")] // one /64: one client
    [InlineData("2001:db8:1:2::", "2001:db8:1:2::1")]
    public void Addresses_in_one_IPv6_slash_64_share_a_key(string one, string other) =>
        Assert.Equal(Key(one), Key(other));

    [Theory]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:3::1")] // the next /64
    [InlineData("2001:db8:1:2::1", "2001:db9:1:2::1")]
    [InlineData("192.0.2.1", "192.0.2.2")] // IPv4: the whole address
    public void Other_prefixes_have_other_keys(string one, string other) =>
        Assert.NotEqual(Key(one), Key(other));

    [Fact]
    public void The_key_names_the_prefix()
    {
        Assert.Equal("2001:db8:1:2::/64", Key("2001:db8:1:2:aaaa:bbbb:cccc:dddd"));
        Assert.Equal("192.0.2.7/32", Key("192.0.2.7"));
        Assert.Equal("192.0.2.0/24", ClientAddress.KeyOf(IPAddress.Parse("192.0.2.7"), 24, 64));
        Assert.Equal("2001:db8::/48", ClientAddress.KeyOf(IPAddress.Parse("2001:db8:0:ffff::1"), 32, 48));
        Assert.Equal("2001:db8::1/128", ClientAddress.KeyOf(IPAddress.Parse("2001:db8::1"), 32, 128));
    }

    [Fact]
    public void An_IPv4_address_on_a_dual_stack_socket_counts_as_itself() =>
        Assert.Equal(Key("192.0.2.7"), Key("::ffff:192.0.2.7"));

    [Fact]
    public void A_prefix_that_is_not_a_whole_byte_masks_the_bits_after_it()
    {
        Assert.Equal("2001:db8:1:0:8000::/65", ClientAddress.KeyOf(IPAddress.Parse("2001:db8:1:0:ffff::1"), 32, 65));
        Assert.Equal("192.0.2.0/25", ClientAddress.KeyOf(IPAddress.Parse("192.0.2.127"), 25, 64));
    }

    [Fact]
    public void No_address_is_one_key() => Assert.Equal("", ClientAddress.KeyOf(null, 32, 64));

    private static string Key(string address) =>
        ClientAddress.KeyOf(IPAddress.Parse(address), new SocketPeerOptions().IPv4PrefixLength, new SocketPeerOptions().IPv6PrefixLength);
}

public sealed class TrustedProxiesTests
{
    [Theory]
    [InlineData("10.0.0.0/8", "10.0.0.0/8")]
    [InlineData("10.1.2.3", "10.1.2.3/32")]
    [InlineData("fd00::/8", "fd00::/8")]
    [InlineData("::1", "::1/128")]
    public void Addresses_and_networks_parse(string value, string network)
    {
        Assert.True(TrustedProxies.TryParse(value, out var parsed));
        Assert.Equal(network, parsed.ToString());
    }

    [Theory]
    [InlineData("ingress-nginx")]
    [InlineData("10.1.2.3/8")] // bits set past the prefix: a typo, not a network
    [InlineData("10.0.0.0/33")]
    [InlineData("")]
    public void Anything_else_does_not(string value) => Assert.False(TrustedProxies.TryParse(value, out _));

    [Fact]
    public void Only_the_listed_proxies_are_known_and_the_loopback_defaults_are_gone()
    {
        var options = new ForwardedHeadersOptions();
        Assert.True(options.KnownIPNetworks.Count + options.KnownProxies.Count > 0); // ASP.NET Core trusts loopback by default

        TrustedProxies.Configure(options, ["10.0.0.0/8", "192.0.2.1"]);

        Assert.Equal(["10.0.0.0/8", "192.0.2.1/32"], options.KnownIPNetworks.Select(n => n.ToString()));
        Assert.Empty(options.KnownProxies);
        Assert.Null(options.ForwardLimit);
        Assert.Equal(Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto,
            options.ForwardedHeaders);
    }
}

public sealed class AddressLimitsTests
{
    private static AddressLimits Limits(Action<SocketPeerOptions> change)
    {
        var options = new SocketPeerOptions();
        change(options);
        return new AddressLimits(Microsoft.Extensions.Options.Options.Create(options));
    }

    [Fact]
    public void Connects_past_the_burst_are_refused_with_a_retry_after_per_address()
    {
        using var limits = Limits(o => (o.ConnectBurst, o.ConnectsPerMinute) = (3, 1));

        for (var i = 0; i < 3; i++) Assert.Null(limits.TryConnect("192.0.2.1/32"));
        var retryAfter = limits.TryConnect("192.0.2.1/32");

        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        Assert.Null(limits.TryConnect("192.0.2.2/32")); // another address has its own bucket
    }

    [Fact]
    public void Pairs_past_the_burst_are_refused()
    {
        using var limits = Limits(o => (o.PairBurst, o.PairsPerMinute) = (2, 1));
        var budget = limits.For("192.0.2.1/32");

        Assert.True(budget.TryPair());
        Assert.True(budget.TryPair());
        Assert.False(budget.TryPair());
        Assert.True(limits.For("192.0.2.2/32").TryPair());
    }

    [Fact]
    public void An_address_that_heard_busy_too_often_may_not_pair_for_a_while()
    {
        using var limits = Limits(o => (o.BusyBurst, o.BusyPerMinute) = (2, 1));
        var budget = limits.For("192.0.2.1/32");

        budget.Busy();
        Assert.True(budget.TryPair()); // one busy left
        budget.Busy();
        Assert.False(budget.TryPair());
        Assert.True(limits.For("192.0.2.2/32").TryPair());
    }

    [Fact]
    public void Turn_credentials_past_the_burst_are_not_minted()
    {
        using var limits = Limits(o => (o.Ice.CredentialBurst, o.Ice.CredentialsPerMinute) = (2, 1));
        var budget = limits.For("2001:db8::/64");

        Assert.True(budget.TryMintTurnCredential());
        Assert.True(budget.TryMintTurnCredential());
        Assert.False(budget.TryMintTurnCredential());
    }

    [Fact]
    public void The_default_bursts_admit_a_full_NAT_twice()
    {
        // A node crash: up to ConnectionsPerAddress clients behind one address reconnect, pair and
        // get a TURN credential at once, and may need a second try each (docs/security.md).
        var defaults = new SocketPeerOptions();
        Assert.True(defaults.ConnectBurst >= 2 * defaults.ConnectionsPerAddress);
        Assert.True(defaults.PairBurst >= 2 * defaults.ConnectionsPerAddress);
        Assert.True(defaults.Ice.CredentialBurst >= 2 * defaults.ConnectionsPerAddress);
        Assert.Equal(64, defaults.IPv6PrefixLength);
        Assert.Equal(32, defaults.IPv4PrefixLength);
    }
}
