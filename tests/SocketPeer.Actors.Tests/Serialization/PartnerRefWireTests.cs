using System.Runtime.Serialization;
using System.Text;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using SocketPeer.Actors.Diagnostics;
using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Serialization;
using SocketPeer.Actors.Sessions;

namespace SocketPeer.Actors.Tests.Serialization;

/// <summary>
/// <see cref="PeerFound.PartnerRef"/> on the wire: appended to <c>PF</c> and <c>PF2</c>, after
/// everything else, so both releases read each other's during a rolling update. A node of the release
/// before reads the fields it knows and ignores the rest; this one reads no ref from that release's
/// bytes and pairs as before (the partner's hello sets the route).
/// </summary>
public sealed class PartnerRefWireTests : TestKit
{
    private static readonly PairCode Code = new("wire-code");
    private static readonly SessionId Session = new("0123456789abcdef0123456789abcdef");
    private static readonly SessionId Partner = new("fedcba9876543210fedcba9876543210");
    private static readonly TraceContext Trace = MessageSamples.Trace;

    /// <summary>
    /// <c>PF</c> of <c>new PeerFound(Session, Code, Partner, Initiator: true, 3, PartnerResumable: true,
    /// PartnerAttempt: 7)</c> as the release before this field wrote it.
    /// </summary>
    private const string OldPf =
        "2030313233343536373839616263646566303132333435363738396162636465660977697265" +
        "2D636F6465206665646362613938373635343332313066656463626139383736353433323130" +
        "010300000000000000010700000000000000";

    private readonly SocketPeerSerializer _serializer;

    public PartnerRefWireTests() => _serializer = new SocketPeerSerializer((ExtendedActorSystem)Sys);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_partners_entity_round_trips_to_the_same_actor(bool traced)
    {
        var partner = CreateTestProbe();
        var found = new PeerFound(Session, Code, Partner, Initiator: true, 3, PartnerAttempt: 7, Trace: traced ? Trace : null,
            PartnerRef: partner.Ref);

        var back = (PeerFound)_serializer.FromBinary(_serializer.ToBinary(found), _serializer.Manifest(found));

        MessageSamples.AssertSameFields(found, back);
        back.PartnerRef!.Tell("ping");
        partner.ExpectMsg("ping");
    }

    [Fact]
    public void Bytes_of_the_release_before_read_with_no_partner_entity()
    {
        var old = (PeerFound)_serializer.FromBinary(Convert.FromHexString(OldPf), "PF");

        Assert.Equal(new PeerFound(Session, Code, Partner, Initiator: true, 3, PartnerResumable: true, PartnerAttempt: 7), old);
    }

    [Fact]
    public void Without_a_partner_entity_the_bytes_are_the_release_befores()
    {
        var found = new PeerFound(Session, Code, Partner, Initiator: true, 3, PartnerResumable: true, PartnerAttempt: 7);

        Assert.Equal(OldPf, Convert.ToHexString(_serializer.ToBinary(found)));
    }

    /// <summary>
    /// The release before reads a <c>PF</c> or <c>PF2</c> field by field from the start and stops at
    /// its last field: so a new node's bytes read there as long as they begin with what it wrote.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void With_a_partner_entity_the_bytes_begin_with_the_release_befores_under_the_same_manifest(bool traced)
    {
        var without = new PeerFound(Session, Code, Partner, Initiator: false, 3, PartnerResumable: true, PartnerAttempt: 7,
            traced ? Trace : null);
        var with = without with { PartnerRef = CreateTestProbe().Ref };

        Assert.Equal(_serializer.Manifest(without), _serializer.Manifest(with));
        var (old, now) = (_serializer.ToBinary(without), _serializer.ToBinary(with));
        Assert.True(now.Length > old.Length);
        Assert.Equal(old, now[..old.Length]);
    }

    [Theory]
    [InlineData("PF", "not an actor path")]
    [InlineData("PF", "akka://")]
    [InlineData("PF2", "/user/no-address")]
    public void An_appended_entity_that_is_no_actor_path_is_refused(string manifest, string path)
    {
        var found = new PeerFound(Session, Code, Partner, Initiator: true, 3, PartnerAttempt: 7, Trace: manifest == "PF2" ? Trace : null);
        var bytes = Appended(_serializer.ToBinary(found), path);

        Assert.Throws<SerializationException>(() => _serializer.FromBinary(bytes, manifest));
    }

    [Fact]
    public void An_appended_entity_longer_than_the_bytes_left_is_refused()
    {
        var bytes = _serializer.ToBinary(new PeerFound(Session, Code, Partner, Initiator: true, 3, PartnerAttempt: 7));

        Assert.Throws<SerializationException>(() => _serializer.FromBinary([.. bytes, 0x7F, (byte)'a'], "PF"));
    }

    /// <summary>A string as <see cref="BinaryWriter.Write(string)"/> writes it, appended.</summary>
    private static byte[] Appended(byte[] bytes, string text)
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(bytes);
            w.Write(text);
        }
        return stream.ToArray();
    }
}
