using System.Threading.Tasks.Sources;

namespace SocketPeer.Gateway.Connections;

/// <summary>
/// A connection's window of messages in flight to its session: the socket's reader takes a place
/// before each message (<see cref="WaitAsync"/>), the session's acknowledgement gives one back
/// (<see cref="Release"/>). Only the reader waits, one wait at a time, so a wait reuses one value-task
/// source and registers for cancellation only while it waits: no allocation per message. A full
/// window is the closed loop's common case (a client with more in flight than the window), where a
/// <see cref="SemaphoreSlim"/> allocated a waiter, an async state machine and a cancellation
/// promise every time (docs/benchmarks.md).
/// </summary>
public sealed class InboundWindow : IValueTaskSource
{
    private static readonly Action<object?> Cancelled = static state => ((InboundWindow)state!).OnCancelled();

    // Free places, minus one while the reader waits: never below -1, since only the reader waits.
    private int _free;
    // 1 from the moment the reader waits until its wait is completed, by a release or its cancellation.
    private int _owed;
    private ManualResetValueTaskSourceCore<bool> _core;
    private CancellationTokenRegistration _registration;
    private CancellationToken _token;

    /// <summary>A window of <paramref name="size"/> places. It has no maximum: an acknowledgement it
    /// does not expect (a session that acked a message twice across a hand-over) only widens it by
    /// one, which is harmless; throwing would not be.</summary>
    public InboundWindow(int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        _free = size;
        // The releaser is a session's thread or a lane's: the reader's loop must not run on it.
        _core.RunContinuationsAsynchronously = true;
    }

    /// <summary>Places free now (tests, diagnostics); -1 while the reader waits.</summary>
    public int Free => Volatile.Read(ref _free);

    /// <summary>Takes a place, waiting for one if the window is full. Only the socket's reader calls this,
    /// and never again before the previous wait has completed.</summary>
    public ValueTask WaitAsync(CancellationToken cancel)
    {
        if (cancel.IsCancellationRequested) return ValueTask.FromCanceled(cancel);
        // Reset before the place is counted as owed: a release may complete the wait at once.
        _core.Reset();
        Volatile.Write(ref _owed, 1);
        if (Interlocked.Decrement(ref _free) >= 0)
        {
            Volatile.Write(ref _owed, 0);
            return ValueTask.CompletedTask;
        }
        if (cancel.CanBeCanceled)
        {
            _token = cancel;
            _registration = cancel.UnsafeRegister(Cancelled, this);
        }
        return new ValueTask(this, _core.Version);
    }

    /// <summary>Gives a place back (a session's acknowledgement, or a message never told); any thread.</summary>
    public void Release()
    {
        // At zero or below after the increment, the reader was waiting for exactly this place.
        if (Interlocked.Increment(ref _free) <= 0 && Interlocked.Exchange(ref _owed, 0) == 1)
            _core.SetResult(true);
    }

    private void OnCancelled()
    {
        // Whoever clears _owed completes the wait; a release that lost the race has already put its
        // place back in _free, so the reader's own place is given back here and the count stays right.
        if (Interlocked.Exchange(ref _owed, 0) != 1) return;
        Interlocked.Increment(ref _free);
        _core.SetException(new OperationCanceledException(_token));
    }

    void IValueTaskSource.GetResult(short token)
    {
        // Unregister, not Dispose: Dispose would wait for a cancellation callback running on another thread.
        _registration.Unregister();
        _registration = default;
        _core.GetResult(token);
    }

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token,
        ValueTaskSourceOnCompletedFlags flags) => _core.OnCompleted(continuation, state, token, flags);
}
