using System.Runtime.Serialization;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Serialization;
using SocketPeer.Actors.Sessions;

namespace SocketPeer.Actors.Tests.Serialization;

public sealed class SocketPeerSerializerTests : TestKit
{
    private readonly SocketPeerSerializer _serializer;

    public SocketPeerSerializerTests() => _serializer = new SocketPeerSerializer((ExtendedActorSystem)Sys);

    [Theory]
    [MemberData(nameof(MessageSamples.Names), MemberType = typeof(MessageSamples))]
    public void Message_round_trips_field_by_field(string name)
    {
        var message = MessageSamples.All(CreateTestProbe().Ref)[name];

        var back = _serializer.FromBinary(_serializer.ToBinary(message), _serializer.Manifest(message));

        MessageSamples.AssertSameFields(message, back);
    }

    [Fact]
    public void Attach_connection_round_trips_to_the_same_actor()
    {
        var connection = CreateTestProbe();
        var message = new AttachConnection(SessionId.New(), connection.Ref);

        var back = (AttachConnection)_serializer.FromBinary(_serializer.ToBinary(message), _serializer.Manifest(message));

        Assert.Equal(connection.Ref.Path, back.Connection.Path);
        back.Connection.Tell("ping");
        connection.ExpectMsg("ping");
    }

    [Fact]
    public void Every_socket_peer_message_type_has_a_sample()
    {
        var known = typeof(ISocketPeerMessage).Assembly.GetTypes()
            .Where(t => typeof(ISocketPeerMessage).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false });
        var sampled = MessageSamples.All(ActorRefs.Nobody).Values.Select(m => m.GetType()).ToHashSet();

        Assert.Empty(known.Where(t => !sampled.Contains(t)).Select(t => t.Name));
    }

    [Fact]
    public void Manifests_are_distinct()
    {
        var byType = MessageSamples.All(ActorRefs.Nobody).Values.DistinctBy(m => m.GetType()).ToList();

        Assert.Equal(byType.Count, byType.Select(_serializer.Manifest).Distinct().Count());
    }

    [Fact]
    public void Unknown_manifest_throws_serialization_exception()
    {
        Assert.Throws<SerializationException>(() => _serializer.FromBinary([], "no-such-manifest"));
    }

    [Fact]
    public void A_type_it_does_not_know_is_refused()
    {
        Assert.Throws<ArgumentException>(() => _serializer.Manifest("not a message"));
        Assert.Throws<ArgumentException>(() => _serializer.ToBinary(new PairCode("not a message either")));
    }

    /// <summary>
    /// Numbers appended to a message after its first release (the attempts that name a pairing) keep
    /// its manifest: a node of the release before reads the fields it knows and ignores the rest, and
    /// this release reads 0 (not known) where an older node wrote nothing. So relays and pairings
    /// cross a rolling update both ways.
    /// </summary>
    [Theory]
    [InlineData("PeerFound, partner's attempt", 8)]
    [InlineData("PartnerRelay, of a named pairing", 16)]
    public void Appended_numbers_read_as_zero_from_a_node_that_does_not_write_them(string name, int appended)
    {
        var message = MessageSamples.All(CreateTestProbe().Ref)[name];
        var bytes = _serializer.ToBinary(message);

        var older = _serializer.FromBinary(bytes[..^appended], _serializer.Manifest(message));

        var expected = message switch
        {
            PeerFound m => (object)(m with { PartnerAttempt = 0 }),
            PartnerRelay m => m with { FromAttempt = 0, ToAttempt = 0 },
            _ => throw new InvalidOperationException(name),
        };
        MessageSamples.AssertSameFields(expected, older);
    }
}
