using Akka.Actor;
using SocketPeer.Actors.Crossings;
using SocketPeer.Actors.Diagnostics;
using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Sessions;

namespace SocketPeer.Actors.Tests.Serialization;

/// <summary>One or more instances of every message the serializer knows, with awkward values on purpose.</summary>
internal static class MessageSamples
{
    private static readonly PairCode Code = new("ünïcode-code/42");
    private static readonly SessionId Session = new("0123456789abcdef0123456789abcdef");
    private static readonly SessionId Other = new("fedcba9876543210fedcba9876543210");

    /// <summary>A W3C trace context as a sampled span carries it, with and without a trace state.</summary>
    public static readonly TraceContext Trace = new("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "vendor=value,other=ünï");
    public static readonly TraceContext TraceWithoutState = new("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");

    /// <summary>Longer than 127 bytes, so its length prefix takes two bytes, and with every byte value.</summary>
    private static byte[] Payload() => Enumerable.Range(0, 300).Select(i => (byte)i).ToArray();

    /// <summary>Named samples; <see cref="AttachConnection"/> needs a live actor ref and is built by the test.</summary>
    public static IReadOnlyDictionary<string, ISocketPeerMessage> All(IActorRef connection) => new Dictionary<string, ISocketPeerMessage>
    {
        ["JoinRoom"] = new JoinRoom(Code, Session),
        ["JoinRoom, resumable"] = new JoinRoom(Code, Session, long.MaxValue, Resumable: true),
        ["JoinRoom, paired again"] = new JoinRoom(Code, Session, 4, Resumable: true, Partner: new SessionId("partner-session")),
        ["JoinRoom, successor"] = new JoinRoom(Code, Session, 4, Resumable: true, Partner: new SessionId("partner-session"), Replaces: new SessionId("predecessor")),
        ["JoinRoom, traced"] = new JoinRoom(Code, Session, 4, Resumable: true, Partner: new SessionId("partner-session"),
            Replaces: new SessionId("predecessor"), Trace: Trace),
        ["LeaveRoom"] = new LeaveRoom(Code, Session),
        ["AttachConnection"] = new AttachConnection(Session, connection),
        ["ClientPair"] = new ClientPair(Session, Code),
        ["ClientPair, traced"] = new ClientPair(Session, Code, TraceWithoutState),
        ["ClientLeave"] = new ClientLeave(Session),
        ["ClientRelay"] = new ClientRelay(Session, RelayKind.Signal, Payload()),
        ["ClientRelay, empty payload"] = new ClientRelay(Session, RelayKind.Connect, []),
        ["ClientRelay, numbered"] = new ClientRelay(Session, RelayKind.Data, Payload(), Seq: 1L << 40),
        ["ClientOptIn"] = new ClientOptIn(Session),
        ["ClientAck"] = new ClientAck(Session, 1234567890123),
        ["ResumeConnection, paired"] = new ResumeConnection(Session, connection,
            new ResumeClaims(Session, ResumeState.Paired, Code, Other, true, 1L << 33), 42),
        ["ResumeConnection, with a deadline"] = new ResumeConnection(Session, connection,
            new ResumeClaims(Session, ResumeState.Paired, Code, Other, true, 1L << 33), 42,
            AnswerBy: DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_123)),
        ["ResumeConnection, traced"] = new ResumeConnection(Session, connection,
            new ResumeClaims(Session, ResumeState.Paired, Code, Other, true, 1L << 33), 42,
            AnswerBy: DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_123), Trace: Trace),
        ["ResumeConnection, traced, no deadline"] = new ResumeConnection(Session, connection,
            new ResumeClaims(Session, ResumeState.Idle, null, null, false, 1L << 33), 0, Trace: TraceWithoutState),
        ["ResumeConnection, idle"] = new ResumeConnection(Session, connection,
            new ResumeClaims(Session, ResumeState.Idle, null, null, false, 1L << 33), 0),
        ["ConnectionClosed, with connection"] = new ConnectionClosed(Session, connection),
        ["PartnerHello"] = new PartnerHello(Session, Other, Code),
        ["PartnerHello, asking back"] = new PartnerHello(Session, Other, Code, AskBack: true),
        ["SessionLeavingNotice"] = new SessionLeavingNotice(Session),
        ["ResumeRefusedNotice, superseded"] = new ResumeRefusedNotice(Session, ResumeRefusal.Superseded),
        ["ResumeRefusedNotice, ended"] = new ResumeRefusedNotice(Session, ResumeRefusal.Ended),
        ["PartnerAck"] = new PartnerAck(Session, Other, 77),
        ["PartnerResumed"] = new PartnerResumed(Session, Other, Code, 9),
        ["PartnerResumed, by a successor"] = new PartnerResumed(Session, Other, Code, 9, new SessionId("predecessor")),
        ["PartnerResumed, traced"] = new PartnerResumed(Session, Other, Code, 9, Trace: Trace),
        ["PartnerResumed, by a successor, traced"] = new PartnerResumed(Session, Other, Code, 9, new SessionId("predecessor"), TraceWithoutState),
        ["PartnerResumeAnswer"] = new PartnerResumeAnswer(Session, Other, ResumeVerdict.Unknown, 3),
        ["PartnerGaveUp"] = new PartnerGaveUp(Session, Other),
        ["PartnerGone"] = new PartnerGone(Session, Other),
        ["TokenNotice"] = new TokenNotice(new ResumeClaims(Session, ResumeState.Waiting, Code, null, false, 3)),
        ["ResumedNotice"] = new ResumedNotice(12, ResumeState.Paired),
        ["AckNotice"] = new AckNotice(5),
        ["SessionMovedNotice"] = SessionMovedNotice.Instance,
        ["MemberAway"] = new MemberAway(Code, Session),
        ["MemberBack"] = new MemberBack(Code, Session),
        ["SeatTaken"] = new SeatTaken(Session, Code),
        ["CheckSeat"] = new CheckSeat(Session, Code),
        ["SeatHeld"] = new SeatHeld(Code, Session),
        ["SeatVacant"] = new SeatVacant(Code, Session),
        ["HandOver"] = new HandOver(Session, Other),
        ["SessionLocation"] = new SessionLocation(connection, new SessionId("s-1")),
        ["ClientRtcStatus"] = new ClientRtcStatus(Session, RtcPath.Downgraded),
        ["ConnectionClosed"] = new ConnectionClosed(Session),
        ["SessionAck"] = SessionAck.Instance,
        ["WaitingForPeer"] = new WaitingForPeer(Session, Code),
        ["PeerFound, initiator"] = new PeerFound(Session, Code, Other, Initiator: true),
        ["PeerFound, not initiator"] = new PeerFound(Other, Code, Session, Initiator: false),
        ["PeerFound, resumable partner"] = new PeerFound(Other, Code, Session, Initiator: false, 3, PartnerResumable: true),
        ["PeerFound, partner's attempt"] = new PeerFound(Other, Code, Session, Initiator: true, 3, PartnerAttempt: 7),
        ["PeerFound, traced"] = new PeerFound(Other, Code, Session, Initiator: true, 3, PartnerResumable: true, PartnerAttempt: 2, Trace: Trace),
        ["PeerFound, partner's entity"] = new PeerFound(Other, Code, Session, Initiator: true, 3, PartnerAttempt: 7, PartnerRef: connection),
        ["PeerFound, traced, partner's entity"] = new PeerFound(Other, Code, Session, Initiator: false, 3, PartnerResumable: true,
            PartnerAttempt: 2, Trace: TraceWithoutState, PartnerRef: connection),
        ["RoomBusy"] = new RoomBusy(Session, Code),
        ["PartnerLeft"] = new PartnerLeft(Session, Code, Other),
        ["PartnerRelay"] = new PartnerRelay(Session, Other, Code, RelayKind.Data, Payload()),
        ["PartnerRelay, numbered"] = new PartnerRelay(Session, Other, Code, RelayKind.Connect, [], 99),
        ["PartnerRelay, of a named pairing"] = new PartnerRelay(Session, Other, Code, RelayKind.Data, Payload(), 4, FromAttempt: 2, ToAttempt: 5),
        ["SessionStarted"] = new SessionStarted(Session),
        ["SessionStarted, with token"] = new SessionStarted(Session, new ResumeClaims(Session, ResumeState.Idle, null, null, false, 1), 30),
        ["PeerFoundNotice"] = new PeerFoundNotice(Initiator: true),
        ["BusyNotice"] = BusyNotice.Instance,
        ["PeerLeftNotice"] = PeerLeftNotice.Instance,
        ["RelayedNotice"] = new RelayedNotice(RelayKind.Signal, Payload()),
        ["RelayedNotice, numbered"] = new RelayedNotice(RelayKind.Data, Payload(), 1),
        ["RefusedNotice, not in room"] = new RefusedNotice(Refusal.NotInRoom),
        ["RefusedNotice, not paired"] = new RefusedNotice(Refusal.NotPaired, RelayKind.Signal),
        ["RefusedNotice, resume failed"] = new RefusedNotice(Refusal.PartnerDidNotReturn),
        ["RefusedNotice, peer timeout"] = new RefusedNotice(Refusal.PeerTimeout, Code: Code),
        ["RelayBatch"] = new RelayBatch([connection],
        [
            new RelayItem(0, 0, new PartnerRelay(Session, Other, Code, RelayKind.Data, Payload(), 4, FromAttempt: 2, ToAttempt: 5)),
            new RelayItem(0, RelayItem.NoSender, new PartnerAck(Session, Other, 77)),
            new RelayItem(0, 0, new PartnerResumeAnswer(Session, Other, ResumeVerdict.Accepted, 3)),
            new RelayItem(0, 0, new PartnerRelay(Session, Other, Code, RelayKind.Connect, [], 5)),
        ]),
        ["RelayBatch, empty"] = new RelayBatch([], []),
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
                case IReadOnlyList<IActorRef> refs:
                    Assert.Equal(refs.Select(r => r.Path), Assert.IsAssignableFrom<IReadOnlyList<IActorRef>>(a).Select(r => r.Path));
                    break;
                case IReadOnlyList<RelayItem> items:
                    var back = Assert.IsAssignableFrom<IReadOnlyList<RelayItem>>(a);
                    Assert.Equal(items.Count, back.Count);
                    for (var i = 0; i < items.Count; i++)
                    {
                        Assert.Equal((items[i].Target, items[i].Sender), (back[i].Target, back[i].Sender));
                        AssertSameFields(items[i].Message, back[i].Message);
                    }
                    break;
                default: Assert.Equal(e, a); break;
            }
        }
    }
}
