using System.Diagnostics;
using System.Diagnostics.Metrics;
using Akka.Actor;
using SocketPeer.Actors.Diagnostics;
using SocketPeer.Actors.Events;
using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Sessions;
using SocketPeer.Bench.Micro;

namespace SocketPeer.Bench.Session;

/// <summary>
/// Mode <c>actor</c>: two paired <see cref="PeerSessionActor"/>s in a plain actor system, no cluster
/// and no sockets. A stand-in region forwards what one session tells another by id (the hellos; the
/// relays go straight to the partner's entity once its hello came, as in a pairing); a stand-in
/// connection counts what reaches the receiver's client. The writer keeps a window of 32 relays in
/// flight, as the connection's inbound window does. What is read is the whole process's CPU and
/// allocation per message: the machine, the actors' <c>Apply</c> and Akka's mailboxes together.
/// </summary>
public sealed class ActorRelayCost : IAsyncDisposable
{
    /// <summary>The variant's name in the results.</summary>
    public const string Mode = "actor";

    private const int Window = 32;

    private static readonly PairCode Code = new("bench-code");
    private static readonly SessionId A = new("bench-a");
    private static readonly SessionId B = new("bench-b");

    private readonly ActorSystem _system = ActorSystem.Create("session-cost");
    private readonly SemaphoreSlim _window = new(Window, Window);
    private readonly SocketPeerMetrics _metrics = new(new Meters());
    private readonly IActorRef _sender;
    private readonly ClientRelay _relay = new(A, RelayKind.Data, "{\"n\":1}"u8.ToArray());

    private ActorRelayCost()
    {
        var region = _system.ActorOf(Props.Create(() => new StandInRegion()), "region");
        var rooms = _system.ActorOf(Props.Create(() => new Ignore()), "rooms");
        var settings = new SessionSettings(SessionSettings.DefaultPeerTimeout);
        IActorRef Session(SessionId id) => _system.ActorOf(
            Props.Create(() => new PeerSessionActor(id, rooms, region, settings, _metrics, NoRoomEvents.Instance)), id.Value);
        var a = Session(A);
        var b = Session(B);
        region.Tell(new Sessions(a, b));
        _sender = a;
        ConnectionOfA = _system.ActorOf(Props.Create(() => new Ignore()), "connection-a");
        var connectionOfB = _system.ActorOf(Props.Create(() => new WindowConnection(_window)), "connection-b");
        a.Tell(new AttachConnection(A, ConnectionOfA), ConnectionOfA);
        b.Tell(new AttachConnection(B, connectionOfB), connectionOfB);
        a.Tell(new ClientPair(A, Code), ConnectionOfA);
        b.Tell(new ClientPair(B, Code), connectionOfB);
        a.Tell(new PeerFound(A, Code, B, Initiator: true, Attempt: 1, PartnerAttempt: 1));
        b.Tell(new PeerFound(B, Code, A, Initiator: false, Attempt: 1, PartnerAttempt: 1));
        Region = region;
    }

    private IActorRef ConnectionOfA { get; }

    private IActorRef Region { get; }

    /// <summary>Two sessions paired, each past its partner's hello (so relays go straight to the partner's entity).</summary>
    public static async Task<ActorRelayCost> StartAsync()
    {
        var bench = new ActorRelayCost();
        // Each hello reaches its session through the stand-in region; an Identify sent the same way
        // after it is answered only once the hello was handled (one sender, one mailbox: in order).
        await bench.Region.Ask<bool>(HellosForwarded.Instance, TimeSpan.FromSeconds(30));
        await bench.Region.Ask<ActorIdentity>(new ToSession(A, new Identify(null)), TimeSpan.FromSeconds(30));
        await bench.Region.Ask<ActorIdentity>(new ToSession(B, new Identify(null)), TimeSpan.FromSeconds(30));
        return bench;
    }

    /// <summary>Relays <paramref name="messages"/> from A's client to B's and reads the process's CPU and allocation per message.</summary>
    public MessageCost Measure(int repeat, int messages) => Task.Factory.StartNew(() =>
    {
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        for (var i = 0; i < messages; i++)
        {
            _window.Wait();
            _sender.Tell(_relay, ConnectionOfA);
        }
        // Every relay reached B's client: the window is whole again.
        for (var i = 0; i < Window; i++) _window.Wait();
        var spent = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        var bytes = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        _window.Release(Window);
        return new MessageCost(Mode, repeat, messages, spent.TotalMicroseconds / messages, (double)bytes / messages);
    }, TaskCreationOptions.LongRunning).GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        await _system.Terminate();
        _metrics.Dispose();
    }

    private sealed record Sessions(IActorRef A, IActorRef B);

    private sealed record ToSession(SessionId Session, object Message);

    private sealed class HellosForwarded
    {
        public static readonly HellosForwarded Instance = new();
    }

    /// <summary>Stands in for the session region: forwards by id, keeping the sender (the partner's hello names its entity so).</summary>
    private sealed class StandInRegion : UntypedActor
    {
        private IActorRef? _a;
        private IActorRef? _b;
        private int _hellos;
        private IActorRef? _waiting;

        protected override void OnReceive(object message)
        {
            switch (message)
            {
                case Sessions s: (_a, _b) = (s.A, s.B); break;
                case ToSession m: To(m.Session).Forward(m.Message); break;
                case HellosForwarded:
                    _waiting = Sender;
                    Answer();
                    break;
                case IWithSessionId m:
                    To(m.Session).Forward(m);
                    if (m is PartnerHello) _hellos++;
                    Answer();
                    break;
            }
        }

        private IActorRef To(SessionId session) => session == A ? _a! : _b!;

        private void Answer()
        {
            if (_hellos < 2 || _waiting is null) return;
            _waiting.Tell(true);
            _waiting = null;
        }
    }

    /// <summary>B's connection: every relay that reaches its client opens the window by one.</summary>
    private sealed class WindowConnection(SemaphoreSlim window) : UntypedActor
    {
        protected override void OnReceive(object message)
        {
            if (message is RelayedNotice) window.Release();
        }
    }

    private sealed class Ignore : UntypedActor
    {
        protected override void OnReceive(object message) { }
    }

    private sealed class Meters : IMeterFactory
    {
        public Meter Create(MeterOptions options) => new(options);

        public void Dispose() { }
    }
}
