using Microsoft.Extensions.Options;
using SocketPeer.Actors.Diagnostics;
using SocketPeer.Gateway.Options;

namespace SocketPeer.Gateway.Capacity;

/// <summary>
/// Admits a WebSocket before its upgrade only while this node can afford it: fewer open sockets than
/// <see cref="ConnectionCapacity.Sockets"/> and, when the container's memory limit is known, memory in
/// use below <c>SocketPeer:MemoryLimitPercent</c> of it. A refused upgrade is answered 503 with
/// <c>Retry-After</c> and counted (<c>socketpeer_refused_total{reason}</c>); sockets already open are
/// untouched, and readiness stays as it is: a full node is a healthy one.
/// </summary>
public sealed class ConnectionGate
{
    /// <summary>The <c>reason</c> tags of <c>socketpeer_refused_total</c>.</summary>
    public const string Sockets = "sockets", Memory = "memory";

    /// <summary>How often memory in use is read again; requests in between use the last reading.</summary>
    public static readonly TimeSpan MemoryReadInterval = TimeSpan.FromSeconds(1);

    private readonly int _maxSockets;
    private readonly long? _memoryThreshold;
    private readonly IMemoryGauge _memory;
    private readonly TimeProvider _time;
    private readonly SocketPeerMetrics _metrics;
    private int _open;
    private long _memoryReadAt = long.MinValue;
    private volatile bool _memoryHigh;

    public ConnectionGate(ConnectionCapacity capacity, HostLimits host, IOptions<SocketPeerOptions> options,
        IMemoryGauge memory, TimeProvider time, SocketPeerMetrics metrics)
    {
        _maxSockets = capacity.Sockets;
        var percent = options.Value.MemoryLimitPercent;
        _memoryThreshold = host.MemoryBytes is { } limit && percent > 0 ? limit / 100 * percent : null;
        _memory = memory;
        _time = time;
        _metrics = metrics;
        metrics.ObserveConnectionLimit(capacity.IsCapped ? capacity.Sockets : null);
    }

    /// <summary>The memory in use past which upgrades are refused; null when no limit is known or the check is off.</summary>
    public long? MemoryThreshold => _memoryThreshold;

    /// <summary>Sockets admitted and not yet released.</summary>
    public int Open => Volatile.Read(ref _open);

    /// <summary>
    /// A slot for one socket, held until disposed; or null with <paramref name="refusedFor"/> set
    /// (<see cref="Sockets"/> or <see cref="Memory"/>), the refusal already counted.
    /// </summary>
    public IDisposable? TryAdmit(out string? refusedFor)
    {
        refusedFor = MemoryIsHigh() ? Memory : null;
        if (refusedFor is null)
        {
            // Take the slot first and give it back if that went past the cap: a check then an
            // increment would let a burst of upgrades through together.
            if (Interlocked.Increment(ref _open) <= _maxSockets) return new Slot(this);
            Interlocked.Decrement(ref _open);
            refusedFor = Sockets;
        }
        _metrics.Refused(refusedFor);
        return null;
    }

    private bool MemoryIsHigh()
    {
        if (_memoryThreshold is not { } threshold) return false;
        var now = _time.GetTimestamp();
        var readAt = Interlocked.Read(ref _memoryReadAt);
        // One request per interval reads; the others use its answer (a race reads twice, harmlessly).
        if (readAt == long.MinValue || _time.GetElapsedTime(readAt, now) >= MemoryReadInterval)
        {
            Interlocked.Exchange(ref _memoryReadAt, now);
            _memoryHigh = _memory.UsedBytes() >= threshold;
        }
        return _memoryHigh;
    }

    private sealed class Slot(ConnectionGate gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) Interlocked.Decrement(ref gate._open);
        }
    }
}
