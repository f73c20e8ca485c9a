using Akka.Actor;
using SocketPeer.Gateway.Ingress;

namespace SocketPeer.Gateway.Tests.Unit;

/// <summary>
/// The lanes' dispatcher on a plain actor system: the thread that wakes an idle actor runs it, a run
/// woken from inside another run goes to the pool instead of nesting, and nothing is lost past a run's
/// length.
/// </summary>
public sealed class CallerRunsDispatcherTests : IAsyncLifetime
{
    private readonly ActorSystem _system = ActorSystem.Create("caller-runs-tests");

    public CallerRunsDispatcherTests() => CallerRunsDispatcher.Register(_system.Dispatchers);

    [Fact]
    public async Task The_thread_that_tells_an_idle_actor_runs_its_receive()
    {
        var ran = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var actor = Spawn(_ => ran.TrySetResult(Environment.CurrentManagedThreadId));
        await Ready(actor);

        var caller = await OnOwnThread(() => actor.Tell("ping"));

        Assert.Equal(caller, await ran.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_run_on_the_caller_s_thread_does_not_see_the_caller_s_async_locals()
    {
        var scope = new AsyncLocal<string?>();
        var seen = new TaskCompletionSource<(int Thread, string? Scope)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var actor = Spawn(_ => seen.TrySetResult((Environment.CurrentManagedThreadId, scope.Value)));
        await Ready(actor);

        var caller = await OnOwnThread(() =>
        {
            scope.Value = "the waking socket's log scope";
            actor.Tell("ping");
        });

        Assert.Equal((caller, (string?)null), await seen.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task An_actor_woken_inside_another_run_never_runs_nested_on_its_stack()
    {
        var nested = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var outerRunning = new ThreadLocal<bool>();
        var inner = Spawn(_ => nested.TrySetResult(outerRunning.Value));
        var outer = Spawn(_ =>
        {
            outerRunning.Value = true;
            inner.Tell("from inside");
            outerRunning.Value = false;
        });
        await Ready(inner);
        await Ready(outer);

        await OnOwnThread(() => outer.Tell("go"));

        Assert.False(await nested.Task.WaitAsync(TimeSpan.FromSeconds(10)), "the inner actor ran on the outer run's stack");
    }

    [Fact]
    public async Task Messages_beyond_one_run_s_length_are_all_delivered_in_order()
    {
        const int Messages = CallerRunsDispatcher.RunLength * 50;
        var seen = new List<int>();
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var actor = Spawn(m =>
        {
            seen.Add((int)m);
            if (seen.Count == Messages) all.TrySetResult();
        });
        await Ready(actor);

        // Several writers at once, as sockets share a lane: each one's messages stay in its order.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(w => OnOwnThread(() =>
        {
            for (var i = 0; i < Messages / 4; i++) actor.Tell(w * 100_000 + i);
        })));

        await all.Task.WaitAsync(TimeSpan.FromSeconds(10));
        for (var w = 0; w < 4; w++)
            Assert.Equal(Enumerable.Range(w * 100_000, Messages / 4), seen.Where(s => s / 100_000 == w));
    }

    private IActorRef Spawn(Action<object> onMessage) =>
        _system.ActorOf(Props.Create(typeof(Probe), onMessage).WithDispatcher(CallerRunsDispatcher.DispatcherId));

    /// <summary>Waits until the actor has started, so the next Tell finds it idle.</summary>
    private static Task Ready(IActorRef actor) => actor.Ask<string>(Probe.Started, TimeSpan.FromSeconds(10));

    /// <summary>Runs <paramref name="act"/> on a thread of its own (not the pool's) and returns that thread's id.</summary>
    private static Task<int> OnOwnThread(Action act)
    {
        var done = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                act();
                done.SetResult(Environment.CurrentManagedThreadId);
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        });
        thread.Start();
        return done.Task;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _system.Terminate();

    private sealed class Probe : ReceiveActor
    {
        public const string Started = "started?";

        public Probe(Action<object> onMessage)
        {
            Receive<string>(m => m == Started, _ => Sender.Tell("started"));
            ReceiveAny(onMessage);
        }
    }
}
