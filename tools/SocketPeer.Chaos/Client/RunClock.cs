using System.Diagnostics;

namespace SocketPeer.Chaos.Client;

/// <summary>Milliseconds since the run started, one clock for senders, receivers and faults.</summary>
public sealed class RunClock
{
    private readonly long _start = Stopwatch.GetTimestamp();
    public DateTime StartedAtUtc { get; } = DateTime.UtcNow;

    public double Now => Stopwatch.GetElapsedTime(_start).TotalMilliseconds;
}
