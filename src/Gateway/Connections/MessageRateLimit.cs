namespace SocketPeer.Gateway.Connections;

/// <summary>
/// A per-connection token bucket: <c>burst</c> messages at once, refilled at <c>perSecond</c>.
/// Refilled lazily from timestamps, so an idle connection costs no timer (System.Threading.RateLimiting's
/// token bucket would need one per connection or a shared replenish loop).
/// </summary>
public sealed class MessageRateLimit(int perSecond, int burst, TimeProvider time)
{
    private double _tokens = burst;
    private long _refilledAt = time.GetTimestamp();
    private int _droppedInARow;

    public RateVerdict Take()
    {
        var now = time.GetTimestamp();
        _tokens = Math.Min(burst, _tokens + time.GetElapsedTime(_refilledAt, now).TotalSeconds * perSecond);
        _refilledAt = now;
        if (_tokens >= 1)
        {
            _tokens -= 1;
            _droppedInARow = 0;
            return RateVerdict.Allow;
        }
        _droppedInARow++;
        return _droppedInARow switch
        {
            1 => RateVerdict.DropAndWarn,
            _ when _droppedInARow > burst => RateVerdict.Disconnect, // warned, and kept going for a whole burst
            _ => RateVerdict.Drop,
        };
    }
}

public enum RateVerdict
{
    Allow,
    /// <summary>Over the limit: drop it and tell the client once per run of drops.</summary>
    DropAndWarn,
    Drop,
    /// <summary>Still flooding after the warning: close the connection.</summary>
    Disconnect,
}
