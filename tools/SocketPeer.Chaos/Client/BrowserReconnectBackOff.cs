namespace SocketPeer.Chaos.Client;

/// <summary>
/// The browser client's reconnect delay (src/Client/socketpeer.js,
/// <c>#afterSocketClosed</c> and <c>#backoff</c>), with its defaults, so that the resume client
/// returns when a real page would and the measured outages are the ones users see:
/// <list type="bullet">
/// <item>a socket that was paired on (<c>peer.found</c> or a paired <c>resumed</c>) or open for
/// 10 s counts as stable and sets the failure count to 1; any other close adds one;</item>
/// <item>the first reconnect after an abrupt drop (1006: the node died or the network broke; 1012:
/// the server restarts) waits <see cref="FirstReconnectDelay"/> × U(0.5, 1);</item>
/// <item>every other reconnect waits <see cref="ReconnectDelay"/> × 2^(failures − 1), at most
/// <see cref="Cap"/>, × U(0.5, 1).</item>
/// </list>
/// No socket, no clock, no randomness of its own: the caller passes the jitter.
/// </summary>
public sealed class BrowserReconnectBackOff
{
    public static readonly TimeSpan FirstReconnectDelay = TimeSpan.FromMilliseconds(250);
    public static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Cap = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan StableAfter = TimeSpan.FromSeconds(10);

    /// <summary>What a browser reports for a socket that broke without a close frame, or never opened.</summary>
    public const int AbnormalClosure = 1006;
    public const int ServiceRestart = 1012;
    /// <summary>A close the client made itself.</summary>
    public const int NormalClosure = 1000;

    /// <summary>Consecutive failed connections since the last success (socketpeer.js <c>#failures</c>).</summary>
    public int Failures { get; private set; }

    /// <summary><c>peer.found</c> or <c>resumed</c>: the client's <c>#failures = 0</c>.</summary>
    public void Connected() => Failures = 0;

    /// <summary>A socket closed; how long to wait before opening the next one.</summary>
    /// <param name="closeCode">the close code a browser would report (<see cref="AbnormalClosure"/> for a reset or a failed connect)</param>
    /// <param name="openFor">how long the socket was open; null if it never opened</param>
    /// <param name="pairedOnSocket">whether this socket got <c>peer.found</c> or a paired <c>resumed</c></param>
    /// <param name="jitter">a number in [0, 1): the wait is (0.5 + jitter / 2) of its base</param>
    public TimeSpan OnSocketClosed(int closeCode, TimeSpan? openFor, bool pairedOnSocket, double jitter)
    {
        var stable = pairedOnSocket || openFor >= StableAfter;
        Failures = stable ? 1 : Failures + 1;
        var abrupt = Failures == 1 && (closeCode == AbnormalClosure || closeCode == ServiceRestart);
        var baseDelay = abrupt ? FirstReconnectDelay : Exponential(Failures);
        return baseDelay * (0.5 + jitter / 2);
    }

    private static TimeSpan Exponential(int failures)
    {
        // 2^5 s is already past the cap; a bigger exponent would only risk overflow.
        var doublings = Math.Clamp(failures - 1, 0, 5);
        return TimeSpan.FromTicks(Math.Min(ReconnectDelay.Ticks << doublings, Cap.Ticks));
    }
}
