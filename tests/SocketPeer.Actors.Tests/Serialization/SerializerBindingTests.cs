using Akka.Actor;
using SocketPeer.Actors.Serialization;
using SocketPeer.Actors.Sessions;
using SocketPeer.Actors.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SocketPeer.Actors.Tests.Serialization;

/// <summary>On a node configured as the host configures it, Akka picks our serializer for every message.</summary>
public sealed class SerializerBindingTests(ITestOutputHelper output)
    : SocketPeerNodeTestKit(SocketPeerNode.Start(new SessionSettings(TimeSpan.FromSeconds(1))), output)
{
    [Fact]
    public void Akka_picks_the_socket_peer_serializer_for_every_message()
    {
        var messages = MessageSamples.All(TestActor);

        var picked = messages.ToDictionary(m => m.Key, m => Sys.Serialization.FindSerializerFor(m.Value).GetType());

        Assert.All(picked, p => Assert.True(p.Value == typeof(SocketPeerSerializer), $"{p.Key}: {p.Value.Name}"));
    }

    [Fact]
    public void Attach_connection_round_trips_through_akka_serialization_with_the_nodes_address()
    {
        var connection = CreateTestProbe();
        var message = new AttachConnection(SessionId.New(), connection.Ref);
        var serializer = Sys.Serialization.FindSerializerFor(message);

        var bytes = Akka.Serialization.Serialization.WithTransport((ExtendedActorSystem)Sys,
            () => serializer.ToBinary(message));
        var back = (AttachConnection)Sys.Serialization.Deserialize(bytes, serializer.Identifier,
            Akka.Serialization.Serialization.ManifestFor(serializer, message));

        Assert.Equal(message.Session, back.Session);
        Assert.Equal(connection.Ref.Path, back.Connection.Path);
        back.Connection.Tell("ping");
        connection.ExpectMsg("ping");
    }
}
