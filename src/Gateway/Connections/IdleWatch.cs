using SocketPeer.Actors.Sessions;
using SocketPeer.Gateway.Protocol;

namespace SocketPeer.Gateway.Connections;

/// <summary>
/// Closes a socket that sits in no room and sends nothing for <c>IdleTimeout</c>: one that never
/// paired, or an original client left on its socket after <c>busy</c> or <c>peer-timeout</c>. The
/// gateway knows "in a room" from what passes it, without asking the session: <c>pair</c> in,
/// <c>peer.found</c>/<c>peer.left</c> out put the socket in one; <c>leave</c> in, <c>busy</c> and
/// <c>peer-timeout</c> out take it out; <c>resumed</c> says which.
/// </summary>
/// <remarks>
/// A timer exists only while the socket is in no room (a paired idle socket, the common kind, holds
/// none: memory per idle socket is what the benchmarks watch). It fires every quarter of the timeout
/// rather than being reset on every message, so the socket closes between 1 and 1.25 timeouts
/// after it fell silent.
/// </remarks>
public sealed class IdleWatch : IDisposable
{
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private readonly Action _close;
    private readonly Lock _lock = new();
    private ITimer? _timer;
    private long _lastActivity;
    private bool _inRoom;
    private bool _done;

    /// <param name="timeout">zero: never close (the watch does nothing).</param>
    /// <param name="close">asks the socket to close (called once, from a timer thread).</param>
    public IdleWatch(TimeSpan timeout, TimeProvider time, Action close)
    {
        _timeout = timeout;
        _time = time;
        _close = close;
        _lastActivity = time.GetTimestamp();
        if (timeout > TimeSpan.Zero) InRoom(false);
        else _done = true;
    }

    /// <summary>A message came from the client (whatever became of it).</summary>
    public void Received(InboundDecision decision)
    {
        Interlocked.Exchange(ref _lastActivity, _time.GetTimestamp());
        if (decision is InboundDecision.Forward { Message: var m })
        {
            if (m is ClientPair) InRoom(true);
            else if (m is ClientLeave) InRoom(false);
        }
    }

    /// <summary>A message is going to the client.</summary>
    public void Sent(object message)
    {
        var inRoom = message switch
        {
            PeerFoundNotice or PeerLeftNotice => true,
            BusyNotice => false,
            RefusedNotice { Refusal: Refusal.PeerTimeout } => false,
            ResumedNotice r => r.State != ResumeState.Idle,
            _ => (bool?)null,
        };
        if (inRoom is { } now) InRoom(now);
    }

    private void InRoom(bool now)
    {
        lock (_lock)
        {
            if (_done || (now == _inRoom && (now || _timer is not null))) return;
            _inRoom = now;
            _timer?.Dispose();
            _timer = null;
            if (now) return;
            // Out of a room: the idle time counts from here.
            Interlocked.Exchange(ref _lastActivity, _time.GetTimestamp());
            var period = _timeout / 4;
            _timer = _time.CreateTimer(static w => ((IdleWatch)w!).Check(), this, period, period);
        }
    }

    private void Check()
    {
        if (_time.GetElapsedTime(Interlocked.Read(ref _lastActivity)) < _timeout) return;
        lock (_lock)
        {
            if (_done || _inRoom) return;
            _done = true;
            _timer?.Dispose();
            _timer = null;
        }
        _close();
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _done = true;
            _timer?.Dispose();
            _timer = null;
        }
    }
}
