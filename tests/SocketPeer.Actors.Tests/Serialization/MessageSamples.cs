using Akka.Actor;
using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Sessions;

namespace SocketPeer.Actors.Tests.Serialization;

/// <summary>One or more instances of every message the serializer knows, with awkward values on purpose.</summary>
internal static class MessageSamples
{
    private static readonly PairCode Code = new("ünïcode-code/42");
    private static readonly SessionId Session = new("0123456789abcdef0123456789abcdef");
    private static readonly SessionId Other = new("fedcba9876543210fedcba9876543210");

    /// <summary>Longer than 127 bytes, so its length prefix takes two bytes, and with every byte value.</summary>
    private static byte[] Payload() => Enumerable.Range(0, 300).Select(i => (byte)i).ToArray();

    /// <summary>Named samples; <see cref="AttachConnection"/> needs a live actor ref and is built by the test.</summary>
    public static IReadOnlyDictionary<string, ISocketPeerMessage> All(IActorRef connection) => new Dictionary<string, ISocketPeerMessage>
    {
        ["JoinRoom"] = new JoinRoom(Code, Session),
        ["LeaveRoom"] = new LeaveRoom(Code, Session),
        ["AttachConnection"] = new AttachConnection(Session, connection),
        ["ClientPair"] = new ClientPair(Session, Code),
        ["ClientLeave"] = new ClientLeave(Session),
        ["ClientRelay"] = new ClientRelay(Session, RelayKind.Signal, Payload()),
        ["ClientRelay, empty payload"] = new ClientRelay(Session, RelayKind.Connect, []),
        ["ClientRtcStatus"] = new ClientRtcStatus(Session, RtcPath.Downgraded),
        ["ConnectionClosed"] = new ConnectionClosed(Session),
        ["SessionAck"] = SessionAck.Instance,
        ["WaitingForPeer"] = new WaitingForPeer(Session, Code),
        ["PeerFound, initiator"] = new PeerFound(Session, Code, Other, Initiator: true),
        ["PeerFound, not initiator"] = new PeerFound(Other, Code, Session, Initiator: false),
        ["RoomBusy"] = new RoomBusy(Session, Code),
        ["PartnerLeft"] = new PartnerLeft(Session, Code, Other),
        ["PartnerRelay"] = new PartnerRelay(Session, Other, Code, RelayKind.Data, Payload()),
        ["SessionStarted"] = new SessionStarted(Session),
        ["PeerFoundNotice"] = new PeerFoundNotice(Initiator: true),
        ["BusyNotice"] = BusyNotice.Instance,
        ["PeerLeftNotice"] = PeerLeftNotice.Instance,
        ["RelayedNotice"] = new RelayedNotice(RelayKind.Signal, Payload()),
        ["ServerErrorNotice"] = new ServerErrorNotice(ServerErrorCodes.PeerTimeout, "no peer joined \"ü\" in time"),
    };

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var name in All(ActorRefs.Nobody).Keys) data.Add(name);
        return data;
    }

    /// <summary>Asserts that two messages have the same type and equal fields (payload bytes by content, refs by path).</summary>
    public static void AssertSameFields(object expected, object actual)
    {
        Assert.IsType(expected.GetType(), actual);
        foreach (var property in expected.GetType().GetProperties())
        {
            var (e, a) = (property.GetValue(expected), property.GetValue(actual));
            switch (e)
            {
                case byte[] bytes: Assert.Equal(bytes, Assert.IsType<byte[]>(a)); break;
                case IActorRef actor: Assert.Equal(actor.Path, Assert.IsAssignableFrom<IActorRef>(a).Path); break;
                default: Assert.Equal(e, a); break;
            }
        }
    }
}
