using SocketPeer.Chaos.Cli;
using SocketPeer.Chaos.Client;

namespace SocketPeer.Chaos.Tests;

/// <summary>Where <c>--layout</c> puts a pair's two clients.</summary>
public sealed class PairLayoutTests
{
    [Fact]
    public void Split_puts_the_two_clients_of_a_pair_on_neighbouring_nodes()
    {
        var homes = Enumerable.Range(0, 4).Select(i => (PairLayouts.HomeOfA(i, 3), PairLayout.Split.HomeOfB(i, 3)));

        Assert.Equal([(0, 1), (1, 2), (2, 0), (0, 1)], homes);
    }

    [Fact]
    public void Same_node_puts_both_clients_of_a_pair_on_one_node()
    {
        var homes = Enumerable.Range(0, 4).Select(i => (PairLayouts.HomeOfA(i, 3), PairLayout.SameNode.HomeOfB(i, 3)));

        Assert.Equal([(0, 0), (1, 1), (2, 2), (0, 0)], homes);
    }

    [Fact]
    public void The_option_is_split_unless_asked()
    {
        Assert.Equal(PairLayout.Split, ChaosSettings.Parse([]).Layout);
        Assert.Equal(PairLayout.SameNode, ChaosSettings.Parse(["--layout", "same-node"]).Layout);
        Assert.Throws<ArgumentException>(() => ChaosSettings.Parse(["--layout", "room-apart"]));
    }
}
