using Akka.Configuration;
using Akka.Dispatch;

namespace SocketPeer.Gateway.Ingress;

/// <summary>
/// The lanes' dispatcher: the thread that wakes a lane (a socket's reader writing into an idle lane's
/// queue) runs the lane's graph itself, so a message reaches its session with one thread hand-off,
/// the session's own, as a direct Tell would. On the default dispatcher a quiet lane paid a second
/// wake-up per message (docs/benchmarks.md, "The edge against the one before it").
/// A thread runs at most one lane run at a time: a run that asks to run again (more messages, or
/// another lane woken from inside it) goes to the thread pool, so the stack never grows and a reader is
/// held for at most one run (<see cref="RunLength"/> mailbox messages, each a bounded interpreter pass).
/// </summary>
public sealed class CallerRunsDispatcher : MessageDispatcher
{
    /// <summary>The id the lanes' materializer names; registered in code, never read from configuration.</summary>
    public const string DispatcherId = "socketpeer.ingress-dispatcher";

    /// <summary>Mailbox messages one run takes before it yields the thread back to its socket.</summary>
    public const int RunLength = 16;

    [ThreadStatic] private static bool _running;

    /// <summary>An execution context with nothing in it: what a new thread starts with.</summary>
    private static readonly ExecutionContext Clean = CleanContext();

    private CallerRunsDispatcher(MessageDispatcherConfigurator configurator) : base(configurator)
    {
        Id = DispatcherId;
        Throughput = RunLength;
        ShutdownTimeout = TimeSpan.FromSeconds(1);
    }

    protected override void ExecuteTask(IRunnable run)
    {
        if (_running)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static r => r.Run(), run, preferLocal: false);
            return;
        }
        _running = true;
        try
        {
            // On a clean context, not the reader's: the lane serves every socket on it, so the waking
            // socket's log scope and trace must not follow what the run does for the others.
            ExecutionContext.Run(Clean, static r => ((IRunnable)r!).Run(), run);
        }
        finally
        {
            _running = false;
        }
    }

    /// <summary>Captured on a thread started without the caller's context (a pool thread may not be clean).</summary>
    private static ExecutionContext CleanContext()
    {
        ExecutionContext? clean = null;
        var thread = new Thread(() => clean = ExecutionContext.Capture());
        thread.UnsafeStart();
        thread.Join();
        return clean ?? throw new InvalidOperationException("a new thread has no execution context to capture");
    }

    /// <summary>Nothing to stop: the dispatcher owns no threads.</summary>
    protected override void Shutdown()
    {
    }

    /// <summary>Registers the dispatcher on <paramref name="dispatchers"/> under <see cref="DispatcherId"/>; idempotent.</summary>
    public static void Register(Dispatchers dispatchers) =>
        dispatchers.RegisterConfigurator(DispatcherId, new CallerRunsConfigurator(dispatchers.Prerequisites));

    private sealed class CallerRunsConfigurator : MessageDispatcherConfigurator
    {
        private readonly CallerRunsDispatcher _instance;

        public CallerRunsConfigurator(IDispatcherPrerequisites prerequisites) : base(Config.Empty, prerequisites) =>
            _instance = new CallerRunsDispatcher(this);

        public override MessageDispatcher Dispatcher() => _instance;
    }
}
