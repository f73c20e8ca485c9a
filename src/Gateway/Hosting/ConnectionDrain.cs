namespace SocketPeer.Gateway.Hosting;

/// <summary>
/// Counts the open WebSocket connections so that a graceful stop can wait for them: the host may stop
/// the actor system before Kestrel has drained its sockets, and the connections' outboxes and sessions live on that
/// system. Coordinated shutdown waits for <see cref="AllClosedAsync"/> in its service-requests-done
/// phase, after every socket was told 1012 and before shards hand off and the node leaves.
/// </summary>
public sealed class ConnectionDrain
{
    private readonly object _gate = new();
    private int _open;
    private TaskCompletionSource? _allClosed;

    public int Open
    {
        get { lock (_gate) return _open; }
    }

    /// <summary>Counts one connection until the returned handle is disposed.</summary>
    public IDisposable Track()
    {
        lock (_gate) _open++;
        return new Handle(this);
    }

    /// <summary>Completes when no connection is open, or when <paramref name="atMost"/> has passed.</summary>
    public async Task AllClosedAsync(TimeSpan atMost)
    {
        Task allClosed;
        lock (_gate)
        {
            if (_open == 0) return;
            _allClosed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            allClosed = _allClosed.Task;
        }
        await Task.WhenAny(allClosed, Task.Delay(atMost));
    }

    private void Closed()
    {
        TaskCompletionSource? waiting = null;
        lock (_gate)
        {
            if (--_open == 0)
                (waiting, _allClosed) = (_allClosed, null);
        }
        waiting?.TrySetResult();
    }

    private sealed class Handle(ConnectionDrain drain) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) drain.Closed();
        }
    }
}
