namespace SocketPeer.Gateway.Webhooks;

/// <summary>
/// The wait before a retry: exponential from <see cref="First"/>, capped at <see cref="Max"/>, with
/// "equal jitter" (half fixed, half random), so that many nodes retrying a receiver that came back
/// do not all knock at the same instant, yet none retries much sooner than planned.
/// </summary>
public sealed record WebhookBackOff(TimeSpan First, TimeSpan Max)
{
    /// <param name="failures">attempts that failed so far (1 after the first)</param>
    /// <param name="random">a uniform sample in [0, 1)</param>
    public TimeSpan Before(int failures, double random)
    {
        var doublings = Math.Clamp(failures - 1, 0, 30);
        var planned = Math.Min(First.Ticks * Math.Pow(2, doublings), Max.Ticks);
        return TimeSpan.FromTicks((long)(planned / 2 + planned / 2 * random));
    }
}
