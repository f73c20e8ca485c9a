namespace SocketPeer.Chaos.Client;

/// <summary>One end of a pair, whatever protocol it speaks: what the traffic, the faults and the report need of it.</summary>
public interface IChaosClient
{
    ClientKind Kind { get; }
    string Name { get; }
    PeerCounters Counters { get; }
    /// <summary>Close codes this client saw, in order.</summary>
    List<string> CloseHistory { get; }
    /// <summary>When this client's sockets ended (run clock, ms).</summary>
    IReadOnlyList<double> Drops { get; }
    /// <summary>When this client was answered <c>busy</c> (run clock, ms).</summary>
    IReadOnlyList<double> BusyAt { get; }
    /// <summary>Completes at the first <c>peer.found</c>.</summary>
    Task FirstPairing { get; }

    /// <summary>Connects and reconnects until <paramref name="cancel"/> fires.</summary>
    Task RunAsync(CancellationToken cancel);

    /// <summary>Sends the next application message if this client is paired; false when it sends nothing.</summary>
    Task<bool> SendNextAsync(string padding);

    /// <summary>Acknowledges what arrived, if this client acknowledges at all.</summary>
    Task FlushAckIfDueAsync();

    /// <summary>Drops the socket at the end of the run.</summary>
    void Abort();
}
