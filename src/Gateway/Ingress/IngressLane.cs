using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.Supervision;

namespace SocketPeer.Gateway.Ingress;

/// <summary>
/// One long-lived Akka.Streams graph that many sockets share: a bounded queue (the sockets'
/// readers write, backpressured) → the node's kill switch → route and deliver each message with the
/// socket's outbox as sender (<see cref="LaneSink"/>). One graph per lane, not per socket: a graph costs an actor and its
/// interpreter, ~28 KB and ~3 ms per pairing when it was per socket (docs/benchmarks.md).
/// </summary>
public sealed class IngressLane
{
    /// <summary>Between a lane's stream ending unexpectedly and its rematerialization: no busy loop.</summary>
    private static readonly TimeSpan RestartDelay = TimeSpan.FromMilliseconds(100);

    private readonly LaneQueue _queue;
    private readonly SharedKillSwitch _killSwitch;
    private readonly ILogger _logger;
    private readonly int _index;
    private volatile bool _stopped;
    private Action<Exception>? _fail;

    public IngressLane(int index, int capacity, SharedKillSwitch killSwitch, ILogger logger)
    {
        _index = index;
        _killSwitch = killSwitch;
        _logger = logger;
        // Many writers (one reader per socket, each with at most one write pending, so FIFO per socket),
        // one reader (the stream); the stop drains what is left concurrently with it.
        _queue = new LaneQueue(capacity);
    }

    /// <summary>Completes when the lane has stopped for good (the kill switch, or the materializer shut down).</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <summary>Materializes the lane's graph, and again whenever it ends while ingress should run.</summary>
    public void Start(ActorMaterializer materializer) => Completion = RunAsync(materializer);

    /// <summary>Waits for room in the lane; false once ingress has stopped.</summary>
    public async ValueTask<bool> OfferAsync(IngressItem item, CancellationToken cancel)
    {
        if (_queue.TryWrite(item)) return true;
        return await _queue.WriteAsync(item, cancel); // room is signalled asynchronously: never on the lane's thread
    }

    /// <summary>
    /// Stops taking messages (new offers fail at once) and delivering them; the sockets' last words
    /// still queued are told, so every session hears its socket closed. The graph may still be reading
    /// while this drains; either way an element is handled once, under the same stopped rule.
    /// </summary>
    public void Stop()
    {
        _stopped = true;
        _queue.Complete();
        while (_queue.TryRead(out var item))
            Handle(item);
    }

    private async Task RunAsync(ActorMaterializer materializer)
    {
        while (!_stopped)
        {
            try
            {
                var (fail, done) = Graph().Run(materializer);
                _fail = fail;
                await done;
            }
            catch (Exception e)
            {
                _logger.LogError(e, "Ingress lane {Lane} failed", _index);
            }
            if (_stopped) return;
            if (materializer.IsShutdown)
            {
                // The actor system is gone: fail the offers instead of letting readers wait for room forever.
                Stop();
                return;
            }
            _logger.LogWarning("Ingress lane {Lane} ended while ingress runs; materializing it again", _index);
            await Task.Delay(RestartDelay);
        }
    }

    /// <summary>Fails the lane's current graph, as a bug in a stage would (tests: the lane comes back).</summary>
    internal void FailGraph(Exception reason) => _fail?.Invoke(reason);

    /// <summary>Three stages: the queue, the node's kill switch, delivery (a quiet lane crosses each per message).</summary>
    private IRunnableGraph<(Action<Exception> Fail, Task Done)> Graph() =>
        Source.FromGraph(new LaneSource(_queue))
            .Via(_killSwitch.Flow<IngressItem>())
            .ToMaterialized(Sink.FromGraph(new LaneSink(Handle)), Keep.Both)
            .WithAttributes(ActorAttributes.CreateSupervisionStrategy(DropAndGoOn))
            .Named($"ingress-lane-{_index}");

    private void Handle(IngressItem item)
    {
        // After the stop began, only the sockets' last words reach the sessions.
        if (_stopped && !item.IsLast) return;
        try
        {
            item.Connection.Deliver(item);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Delivering a message in ingress lane {Lane} failed; closing its socket", _index);
            item.Connection.Fail();
        }
    }

    /// <summary>Whatever else throws inside the lane: logged, the element dropped, the lane goes on for every other socket.</summary>
    private Directive DropAndGoOn(Exception e)
    {
        _logger.LogError(e, "Ingress lane {Lane}: an element failed and was dropped", _index);
        return Directive.Resume;
    }
}
