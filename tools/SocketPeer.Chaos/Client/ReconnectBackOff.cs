namespace SocketPeer.Chaos.Client;

/// <summary>
/// The original client's reconnect delay (cvan/socketpeer, browser/index.js): every connect attempt
/// counts, a <c>peer.found</c> sets the count back to 0, and a closed socket waits
/// 2^count × 1 s, at most 30 s. After a pairing that gives 1 s, 2 s, 4 s, 8 s, 16 s, 30 s, 30 s …
/// for consecutive failures (a first connect that fails waits 2 s, as the original does).
/// </summary>
public sealed class ReconnectBackOff
{
    public static readonly TimeSpan Base = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Cap = TimeSpan.FromSeconds(30);

    private int _attempts;

    /// <summary>A socket is being opened.</summary>
    public void Attempting() => _attempts++;

    /// <summary>A <c>peer.found</c>: the next drop waits <see cref="Base"/> again.</summary>
    public void Reset() => _attempts = 0;

    /// <summary>How long to wait after a socket closed before opening the next one.</summary>
    public TimeSpan DelayBeforeReconnect =>
        // 2^5 s is already past the cap; a bigger exponent would only risk overflow.
        TimeSpan.FromTicks(Math.Min(Base.Ticks << Math.Min(_attempts, 5), Cap.Ticks));
}
