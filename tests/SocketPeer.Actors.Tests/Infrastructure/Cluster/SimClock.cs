namespace SocketPeer.Actors.Tests.Infrastructure.Cluster;

/// <summary>
/// Simulated time for <see cref="ClusterWorld"/>: timers are (due time, action) pairs, fired in due
/// order (ties in the order they were started) only when the world's caller advances the clock.
/// Nothing here reads the real clock, so a run replays exactly.
/// </summary>
internal sealed class SimClock
{
    private readonly PriorityQueue<SimTimer, (TimeSpan Due, long Order)> _timers = new();
    private long _started;

    public TimeSpan Now { get; private set; }

    /// <summary>Starts a timer; cancel it with <see cref="SimTimer.Cancel"/>.</summary>
    public SimTimer Start(TimeSpan delay, string what, Action fire)
    {
        var timer = new SimTimer(Now + delay, what, fire);
        _timers.Enqueue(timer, (timer.Due, _started++));
        return timer;
    }

    /// <summary>When the next live timer is due, if any.</summary>
    public TimeSpan? NextDue
    {
        get
        {
            while (_timers.TryPeek(out var timer, out _) && timer.Cancelled) _timers.Dequeue();
            return _timers.TryPeek(out var next, out _) ? next.Due : null;
        }
    }

    /// <summary>Fires the next live timer if it is due by <paramref name="until"/>; moves the clock to it.</summary>
    public bool FireNext(TimeSpan until, Action<SimTimer> trace)
    {
        if (NextDue is not { } due || due > until) return false;
        var timer = _timers.Dequeue();
        Now = due;
        timer.Cancel(); // fired: a later Cancel is a no-op
        trace(timer);
        timer.Fire();
        return true;
    }

    /// <summary>Fires every timer due by <paramref name="until"/>, in order, and ends with the clock at it.</summary>
    public void AdvanceTo(TimeSpan until, Action<SimTimer> trace)
    {
        while (FireNext(until, trace)) { }
        if (until > Now) Now = until;
    }
}

/// <summary>One pending timer of the simulated clock.</summary>
internal sealed class SimTimer(TimeSpan due, string what, Action fire)
{
    public TimeSpan Due { get; } = due;
    public string What { get; } = what;
    public bool Cancelled { get; private set; }

    public void Cancel() => Cancelled = true;

    public void Fire() => fire();
}
