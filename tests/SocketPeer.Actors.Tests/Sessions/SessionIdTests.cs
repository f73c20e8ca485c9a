using Akka.Actor;
using Akka.Cluster;
using SocketPeer.Actors.Placement;
using SocketPeer.Actors.Sessions;

namespace SocketPeer.Actors.Tests.Sessions;

public sealed class SessionIdTests
{
    private static readonly UniqueAddress NodeA = new(new Address("akka.tcp", "socketpeer", "10.0.0.1", 4053), 17);

    [Fact]
    public void An_id_names_the_node_it_was_made_on()
    {
        var node = NodeKey.Of(NodeA);

        var id = SessionId.NewOn(node);

        Assert.Equal(node, id.Node);
        Assert.StartsWith(node.Value, id.Value);
    }

    [Fact]
    public void Ids_are_32_lower_case_base32_characters_that_the_wire_and_TURN_usernames_accept()
    {
        var id = SessionId.NewOn(NodeKey.Of(NodeA));

        Assert.Equal(SessionId.Length, id.Value.Length);
        Assert.Matches("^[a-z2-7]{32}$", id.Value); // no ':' (TURN username separator), no escaping in JSON or actor names
    }

    [Fact]
    public void Ids_on_one_node_differ_in_their_random_part()
    {
        var node = NodeKey.Of(NodeA);

        var ids = Enumerable.Range(0, 1000).Select(_ => SessionId.NewOn(node).Value).ToHashSet();

        Assert.Equal(1000, ids.Count);
        Assert.Equal(1000, ids.Select(id => id[NodeKey.Length..(NodeKey.Length + 8)]).Distinct().Count());
    }

    [Fact]
    public void A_node_key_is_the_same_wherever_it_is_computed_and_pinned()
    {
        // Every node must compute the key of every other node alike (no per-process hashing).
        Assert.Equal(NodeKey.Of(new UniqueAddress(NodeA.Address, NodeA.Uid)), NodeKey.Of(NodeA));
        Assert.Equal("2ev56l", NodeKey.Of(NodeA).Value);
    }

    [Fact]
    public void A_restarted_node_at_the_same_address_gets_a_new_key()
    {
        var restarted = new UniqueAddress(NodeA.Address, NodeA.Uid + 1);

        Assert.NotEqual(NodeKey.Of(NodeA), NodeKey.Of(restarted));
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef")] // the old format: hex (0, 1, 8, 9 are not base32)
    [InlineData("s1")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")]
    public void Ids_of_other_shapes_name_no_node(string value)
    {
        Assert.Null(new SessionId(value).Node);
    }
}
