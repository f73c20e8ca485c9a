using System.Diagnostics;
using SocketPeer.Actors.Diagnostics;

namespace SocketPeer.Cluster.Tests.Infrastructure;

/// <summary>
/// Listens to the <c>SocketPeer</c> activity source of every node in the test process (they share it),
/// sampling everything, as an exporter's tracer provider would. Cluster tests run one at a time, so
/// what it sees is the test's own.
/// </summary>
internal sealed class SpanRecorder : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly List<Activity> _started = [];
    private readonly List<Activity> _stopped = [];
    private TaskCompletionSource _changed = NewSignal();

    public SpanRecorder()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == SocketPeerTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStarted = activity => Record(_started, activity),
            ActivityStopped = activity => Record(_stopped, activity),
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>Spans started so far (the socket's own span runs until its socket closes).</summary>
    public IReadOnlyList<Activity> Started
    {
        get
        {
            lock (_started) return [.. _started];
        }
    }

    /// <summary>Spans ended so far.</summary>
    public IReadOnlyList<Activity> Stopped
    {
        get
        {
            lock (_stopped) return [.. _stopped];
        }
    }

    /// <summary>The ended span named <paramref name="name"/> with this <c>socketpeer.session</c>, once there is one.</summary>
    public Task<Activity> EndedAsync(string name, string session) =>
        UntilAsync(() => Stopped.FirstOrDefault(a => a.OperationName == name && Session(a) == session));

    /// <summary>Waits, without polling, until <paramref name="find"/> finds something among what was recorded.</summary>
    public async Task<T> UntilAsync<T>(Func<T?> find) where T : class
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            Task changed;
            lock (_stopped) changed = _changed.Task;
            if (find() is { } found) return found;
            await changed.WaitAsync(deadline.Token);
        }
    }

    public static string? Session(Activity span) => span.GetTagItem(SocketPeerTracing.SessionTag) as string;

    public static string? Node(Activity span) => span.GetTagItem(SocketPeerTracing.NodeTag) as string;

    public void Dispose() => _listener.Dispose();

    private void Record(List<Activity> list, Activity activity)
    {
        TaskCompletionSource changed;
        lock (list) list.Add(activity);
        lock (_stopped)
        {
            changed = _changed;
            _changed = NewSignal();
        }
        changed.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
