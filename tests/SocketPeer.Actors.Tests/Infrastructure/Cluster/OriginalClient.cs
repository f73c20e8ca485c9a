using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Sessions;

namespace SocketPeer.Actors.Tests.Infrastructure.Cluster;

/// <summary>
/// A client of the original protocol (no resume), as issue 13 describes it: it connects, sends
/// <c>pair</c> with its one code, and keeps trying forever. A dropped socket, or <c>busy</c> (which
/// it answers by closing), reconnects after a back-off of 1 s, 2 s, 4 s … capped at 30 s, reset by
/// <c>peer.found</c>; it reconnects to the next node that accepts sockets (a load balancer skips a
/// dead process). <c>peer-timeout</c> (an extension the original client does not know) is answered
/// with <c>pair</c> again on the same socket, so that it keeps trying rather than sits idle.
/// </summary>
internal sealed class OriginalClient(int index, PairCode code, int slot)
{
    public static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    public int Index { get; } = index;
    public PairCode Code { get; } = code;

    /// <summary>The slot of the node its socket is on (or was on, when not connected).</summary>
    public int Slot { get; set; } = slot;

    public NodeId Node { get; set; }
    public SessionId Session { get; set; }
    public bool Connected { get; set; }
    public int Connections { get; set; }

    /// <summary>Failed attempts since the last <c>peer.found</c>: the exponent of the next back-off.</summary>
    public int Failures { get; set; }

    /// <summary>The longest back-off this client has waited or waits now.</summary>
    public TimeSpan LongestBackoff { get; private set; }

    public bool ThinksItIsPaired { get; set; }

    public SimTimer? Reconnect { get; set; }

    /// <summary>Payloads of relayed messages this client received, on any of its sockets.</summary>
    public List<string> ReceivedPayloads { get; } = [];

    /// <summary>The next back-off, counted as a failure.</summary>
    public TimeSpan NextBackoff()
    {
        var delay = Failures >= 5 ? MaxBackoff : TimeSpan.FromTicks(Math.Min(FirstBackoff.Ticks << Failures, MaxBackoff.Ticks));
        Failures++;
        if (delay > LongestBackoff) LongestBackoff = delay;
        return delay;
    }

    public override string ToString() => $"c{Index}";
}
