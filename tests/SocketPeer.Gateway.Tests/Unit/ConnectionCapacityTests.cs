using Microsoft.Extensions.Configuration;
using SocketPeer.Gateway.Capacity;
using SocketPeer.Gateway.Options;

namespace SocketPeer.Gateway.Tests.Unit;

/// <summary>The socket cap derived from the open-files limit, and what start-up says or refuses about it.</summary>
public sealed class ConnectionCapacityTests
{
    [Theory]
    // limit, sockets (limit − 512 − limit/10), connections not upgraded (max(64, limit/20))
    [InlineData(700, 118, 64)]
    [InlineData(2_000, 1_288, 100)]
    [InlineData(65_536, 58_471, 3_276)]
    [InlineData(1_048_576, 943_207, 52_428)]
    public void The_cap_is_the_limit_less_the_process_reserve_and_a_tenth(long limit, int sockets, int pending)
    {
        var capacity = ConnectionCapacity.From(new DescriptorLimit(limit, limit), maxConnections: 0);

        Assert.Equal(sockets, capacity.Sockets);
        Assert.Equal(pending, capacity.PendingConnections);
        Assert.False(capacity.Clamped);
        // Sockets and connections not upgraded together still leave the process its reserve.
        Assert.True(limit - capacity.Sockets - capacity.PendingConnections >= ConnectionCapacity.ProcessReserve - ConnectionCapacity.MinimumPending);
        Assert.True(capacity.PendingConnections < ConnectionCapacity.HeadroomFor(limit));
    }

    [Fact]
    public void A_lower_configured_cap_wins_and_a_higher_one_is_cut_down_with_a_warning()
    {
        var limit = new DescriptorLimit(100_000, 100_000);
        var lower = ConnectionCapacity.From(limit, maxConnections: 5_000);
        var higher = ConnectionCapacity.From(limit, maxConnections: 100_000);

        Assert.Equal(5_000, lower.Sockets);
        Assert.Empty(lower.Warnings());
        Assert.Equal(89_488, higher.Sockets);
        Assert.True(higher.Clamped);
        Assert.Contains(higher.Warnings(), w => w.Contains("MaxConnections", StringComparison.Ordinal));
    }

    [Fact]
    public void A_limit_below_production_warns_and_one_that_leaves_no_socket_is_a_problem()
    {
        Assert.Contains(ConnectionCapacity.From(new DescriptorLimit(4_096, 4_096), 0).Warnings(),
            w => w.Contains("65536", StringComparison.Ordinal));
        Assert.Empty(ConnectionCapacity.From(new DescriptorLimit(65_536, 65_536), 0).Warnings());

        var smallest = ConnectionCapacity.From(new DescriptorLimit(ConnectionCapacity.MinimumDescriptors, 1_000_000), 0);
        Assert.Equal(1, smallest.Sockets);
        Assert.Null(smallest.Problem);
        var tooSmall = ConnectionCapacity.From(new DescriptorLimit(ConnectionCapacity.MinimumDescriptors - 1, 1_000_000), 0);
        Assert.Equal(0, tooSmall.Sockets);
        Assert.Contains("raise it", tooSmall.Problem);
    }

    [Fact]
    public void Without_a_known_limit_only_the_configured_cap_applies()
    {
        var unknown = ConnectionCapacity.From(null, 0);
        Assert.False(unknown.IsCapped);
        Assert.Null(unknown.PendingConnections);
        Assert.Null(unknown.Problem);
        Assert.Equal(300, ConnectionCapacity.From(null, 300).Sockets);
        var unlimited = ConnectionCapacity.From(DescriptorLimit.Parse("Max open files            unlimited            unlimited            files\n"), 0);
        Assert.False(unlimited.IsCapped);
    }

    [Fact]
    public void The_limit_is_read_from_proc_limits()
    {
        const string Text = """
            Limit                     Soft Limit           Hard Limit           Units
            Max cpu time              unlimited            unlimited            seconds
            Max open files            1024                 524288               files
            Max locked memory         8388608              8388608              bytes
            """;

        Assert.Equal(new DescriptorLimit(1_024, 524_288), DescriptorLimit.Parse(Text));
        Assert.Null(DescriptorLimit.Parse("Max cpu time unlimited unlimited seconds\n"));
        Assert.Null(DescriptorLimit.Parse(null));
    }

    [Theory]
    [InlineData("536870912\n", 536_870_912L)]
    [InlineData("max\n", null)]
    [InlineData("9223372036854771712\n", null)] // cgroup v1 without a limit
    [InlineData("", null)]
    [InlineData(null, null)]
    public void A_cgroup_memory_limit_is_bytes_or_none(string? text, long? expected) =>
        Assert.Equal(expected, HostLimits.CgroupMemoryLimit(text));

    [Fact]
    public void Start_up_refuses_a_limit_that_leaves_no_socket()
    {
        var configuration = new ConfigurationBuilder().Build();
        var tooLow = new HostingOptionsValidator(configuration, new HostLimits(new DescriptorLimit(500, 500), null));
        var enough = new HostingOptionsValidator(configuration, new HostLimits(new DescriptorLimit(4_096, 4_096), null));

        var refused = tooLow.Validate(null, new SocketPeerOptions());
        Assert.True(refused.Failed);
        Assert.Contains("open-files limit (500)", refused.FailureMessage);
        Assert.True(enough.Validate(null, new SocketPeerOptions()).Succeeded);
    }
}
