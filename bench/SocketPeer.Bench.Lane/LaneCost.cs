using System.Diagnostics;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using SocketPeer.Bench.Micro;
using SocketPeer.Gateway.Ingress;

namespace SocketPeer.Bench.Lane;

/// <summary>
/// A socket's message into its session two ways, in one process: <c>direct</c>, a Tell to the
/// session's actor (the edge before the lanes), and <c>lane</c>, through an ingress lane built as the
/// gateway builds one (<see cref="LaneSource"/>, the node's kill switch, <see cref="LaneSink"/>, on
/// <see cref="CallerRunsDispatcher"/>) whose sink makes that Tell. The session stands in as an actor
/// that releases a window of 32, as a session's acknowledgements open the connection's inbound
/// window, so the writer never floods it. The difference between the two is the lane's own cost.
/// </summary>
public sealed class LaneCost : IAsyncDisposable
{
    public const string Lane = "lane";
    public const string Direct = "direct";
    public static readonly IReadOnlyList<string> Paths = [Lane, Direct];

    private const int Window = 32;

    private readonly ActorSystem _system;
    private readonly IActorRef _session;
    private readonly SemaphoreSlim _window = new(Window, Window);
    private readonly LaneQueue _queue = new(1024);
    private readonly SharedKillSwitch _killSwitch = KillSwitches.Shared("lane-cost");
    private readonly IngressItem _item;
    private readonly object _message = new();

    public LaneCost()
    {
        _system = ActorSystem.Create("lane-cost");
        CallerRunsDispatcher.Register(_system.Dispatchers);
        var materializer = _system.Materializer(
            ActorMaterializerSettings.Create(_system).WithDispatcher(CallerRunsDispatcher.DispatcherId), namePrefix: "ingress");
        _session = _system.ActorOf(Props.Create(() => new WindowSession(_window)), "session");
        Source.FromGraph(new LaneSource(_queue))
            .Via(_killSwitch.Flow<IngressItem>())
            .To(Sink.FromGraph(new LaneSink(_ => _session.Tell(_message))))
            .Run(materializer);
        _item = new IngressItem(null!, null!, IsLast: false);
    }

    /// <summary>Sends <paramref name="messages"/> one way and reads the process's CPU and allocation per message.</summary>
    public async Task<MessageCost> MeasureAsync(string path, int repeat, int messages)
    {
        var throughLane = path switch
        {
            Lane => true,
            Direct => false,
            _ => throw new ArgumentException($"unknown path {path}", nameof(path)),
        };
        // On a pool thread, as a socket's reader is.
        return await Task.Run(async () =>
        {
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            for (var i = 0; i < messages; i++)
            {
                await _window.WaitAsync();
                if (!throughLane) _session.Tell(_message);
                else if (!_queue.TryWrite(_item)) await _queue.WriteAsync(_item, CancellationToken.None);
            }
            // Every message answered: the window is whole again.
            for (var i = 0; i < Window; i++) await _window.WaitAsync();
            var spent = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            var bytes = GC.GetTotalAllocatedBytes(precise: true) - allocated;
            _window.Release(Window);
            return new MessageCost(path, repeat, messages, spent.TotalMicroseconds / messages, (double)bytes / messages);
        });
    }

    public async ValueTask DisposeAsync()
    {
        _killSwitch.Shutdown();
        await _system.Terminate();
    }

    /// <summary>Stands in for a session: each message acknowledged, opening the window by one.</summary>
    private sealed class WindowSession(SemaphoreSlim window) : UntypedActor
    {
        protected override void OnReceive(object message) => window.Release();
    }
}
