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
/// One timer per socket, firing every quarter of the timeout (rarely, 2.5 min by default), rather
/// than a timer reset on every message: the socket closes between 1 and 1.25 timeouts after it fell silent.
/// </remarks>
public sealed class IdleWatch : IDisposable
{
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private readonly Action _close;
    private readonly ITimer? _timer;
    private long _lastActivity;
    private volatile bool _inRoom;
    private int _closed;

    /// <param name="timeout">zero: never close (the watch does nothing).</param>
    /// <param name="close">asks the socket to close (called once, from a timer thread).</param>
    public IdleWatch(TimeSpan timeout, TimeProvider time, Action close)
    {
        _timeout = timeout;
        _time = time;
        _close = close;
        _lastActivity = time.GetTimestamp();
        if (timeout <= TimeSpan.Zero) return;
        var period = timeout / 4;
        _timer = time.CreateTimer(static w => ((IdleWatch)w!).Check(), this, period, period);
    }

    /// <summary>A message came from the client (whatever became of it).</summary>
    public void Received(InboundDecision decision)
    {
        Touch();
        if (decision is InboundDecision.Forward { Message: var m })
        {
            if (m is ClientPair) _inRoom = true;
            else if (m is ClientLeave) _inRoom = false;
        }
    }

    /// <summary>A message is going to the client.</summary>
    public void Sent(IClientMessage message)
    {
        var inRoom = message switch
        {
            PeerFoundNotice or PeerLeftNotice => true,
            BusyNotice => false,
            ServerErrorNotice { Code: ServerErrorCodes.PeerTimeout } => false,
            ResumedNotice r => r.State != "idle",
            _ => (bool?)null,
        };
        if (inRoom is not { } now) return;
        if (_inRoom && !now) Touch(); // out of the room: the idle time counts from here
        _inRoom = now;
    }

    private void Touch() => Interlocked.Exchange(ref _lastActivity, _time.GetTimestamp());

    private void Check()
    {
        if (_inRoom || _time.GetElapsedTime(Interlocked.Read(ref _lastActivity)) < _timeout) return;
        if (Interlocked.Exchange(ref _closed, 1) == 1) return;
        _timer?.Dispose();
        _close();
    }

    public void Dispose() => _timer?.Dispose();
}
