using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using SocketPeer.Actors.Diagnostics;
using SocketPeer.Actors.Events;
using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Sessions;

namespace SocketPeer.Actors.Tests.Diagnostics;

/// <summary>
/// A session's spans (docs/operations.md, "Tracing"): its join under the gateway's pair span, its
/// <c>peer.found</c> under the room's, and a recovery of its own when its room is lost, whose
/// context the new join carries to the room.
/// </summary>
public sealed class SessionTracingTests : TestKit
{
    private static readonly PairCode Code = new("traced");
    private static readonly SessionId Partner = new("partner-session");
    private static readonly TraceContext PairSpan = new("00-11111111111111111111111111111111-2222222222222222-01");
    private static readonly TraceContext RoomSpan = new("00-33333333333333333333333333333333-4444444444444444-01");

    private readonly SocketPeerMetrics _metrics = new(new Meters());
    private readonly ConcurrentQueue<Activity> _ended = new();
    private readonly ActivityListener _listener;
    private readonly SessionId _id = SessionId.New();

    public SessionTracingTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == SocketPeerTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _ended.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    [Fact]
    public void A_traced_pairing_and_the_loss_of_its_room_carry_their_spans_to_the_room()
    {
        var rooms = CreateTestProbe();
        var connection = CreateTestProbe();
        var session = Sys.ActorOf(Props.Create(typeof(PeerSessionActor), _id, rooms.Ref, CreateTestProbe().Ref,
            new SessionSettings(TimeSpan.FromMinutes(10)), _metrics, NoRoomEvents.Instance));
        session.Tell(new AttachConnection(_id, connection.Ref), connection.Ref);

        // pair: the join is a span under the gateway's, and the room hears of it.
        session.Tell(new ClientPair(_id, Code, PairSpan), connection.Ref);
        var join = rooms.ExpectMsg<JoinRoom>();
        var joinSpan = Ended(SocketPeerTracing.SessionJoin);
        Assert.Equal(("11111111111111111111111111111111", "2222222222222222"), (joinSpan.TraceId.ToHexString(), joinSpan.ParentSpanId.ToHexString()));
        Assert.Equal(TraceContext.Of(joinSpan), join.Trace);

        // peer.found: a span under the room's.
        var room = CreateTestProbe();
        session.Tell(new PeerFound(_id, Code, Partner, Initiator: true, join.Attempt, Trace: RoomSpan), room.Ref);
        var found = Ended(SocketPeerTracing.SessionPeerFound);
        Assert.Equal(("33333333333333333333333333333333", "4444444444444444"), (found.TraceId.ToHexString(), found.ParentSpanId.ToHexString()));
        Assert.Equal(Partner.Value, found.GetTagItem(SocketPeerTracing.PartnerTag));

        // The room is lost: a recovery, a trace of its own, which the join again carries.
        Sys.Stop(room.Ref);
        var again = rooms.FishForMessage<JoinRoom>(j => j.Partner == Partner);
        var recovery = Ended(SocketPeerTracing.Recovery);
        Assert.Equal(default, recovery.ParentSpanId);
        Assert.Equal("room", recovery.GetTagItem(SocketPeerTracing.LostTag));
        Assert.Equal(TraceContext.Of(recovery), again.Trace);
    }

    [Fact]
    public void An_untraced_pair_sends_an_untraced_join_and_starts_no_span()
    {
        var rooms = CreateTestProbe();
        var connection = CreateTestProbe();
        var session = Sys.ActorOf(Props.Create(typeof(PeerSessionActor), _id, rooms.Ref, CreateTestProbe().Ref,
            new SessionSettings(TimeSpan.FromMinutes(10)), _metrics, NoRoomEvents.Instance));
        session.Tell(new AttachConnection(_id, connection.Ref), connection.Ref);

        session.Tell(new ClientPair(_id, Code), connection.Ref);

        Assert.Null(rooms.ExpectMsg<JoinRoom>().Trace);
        Assert.DoesNotContain(_ended, OfThisSession);
    }

    /// <summary>The span of this test's session named <paramref name="name"/>, once it has ended.</summary>
    private Activity Ended(string name)
    {
        Activity? span = null;
        AwaitAssert(() => span = Assert.Single(_ended, a => OfThisSession(a) && a.OperationName == name));
        return span!;
    }

    private bool OfThisSession(Activity span) => span.GetTagItem(SocketPeerTracing.SessionTag) as string == _id.Value;

    protected override void Dispose(bool disposing)
    {
        _listener.Dispose();
        _metrics.Dispose();
        base.Dispose(disposing);
    }

    private sealed class Meters : IMeterFactory
    {
        private readonly List<Meter> _meters = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options);
            _meters.Add(meter);
            return meter;
        }

        public void Dispose() => _meters.ForEach(m => m.Dispose());
    }
}
