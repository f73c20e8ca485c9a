using SocketPeer.Chaos.Client;

namespace SocketPeer.Chaos.Report;

/// <summary>
/// The figures of the pairs that run one kind of client (all of them but the stuck-consumer fault's
/// stuck pairs), so that each kind is judged by its own promises.
/// </summary>
public sealed class KindFigures
{
    public ClientKind Kind { get; init; }
    public int Pairs { get; set; }
    /// <summary>
    /// Both directions summed. For original clients the lost ones are what was sent while the
    /// partner was gone (no promise covers them: the original protocol has no way to keep them).
    /// </summary>
    public DirectionStats Messages { get; set; } = DirectionStats.Zero;
    /// <summary>Pair-faults in which the pair was touched: a socket dropped, its relay stalled, or it never relayed again.</summary>
    public int TouchedPairs { get; set; }
    /// <summary>Fault instant to both directions delivering a message sent after the pair's last disruption, over touched pair-faults that recovered.</summary>
    public double? OutageP50Ms { get; set; }
    public double? OutageP99Ms { get; set; }
    public double? OutageMaxMs { get; set; }
    /// <summary>Touched pairs that never relayed both ways again before the run ended.</summary>
    public List<int> PairsLost { get; set; } = [];
    /// <summary>Every <c>busy</c> answer to a client of this kind, the whole run.</summary>
    public int Busy { get; set; }
    /// <summary><c>busy</c> answers to clients of touched pairs, after the fault that touched them.</summary>
    public int BusyToTouched { get; set; }
    public int PeerFound { get; set; }
    public int PeerLeft { get; set; }
    /// <summary>Messages the original client has no handler for, by type (original clients only).</summary>
    public SortedDictionary<string, int> Ignored { get; set; } = [];
    /// <summary>Every touched pair-fault: which pair, which fault, how long until it relayed again (null: never).</summary>
    public List<PairOutage> Outages { get; set; } = [];
}

/// <summary>
/// One pair touched by one fault (the fault's index among the report's disruptive events), with what
/// each of its clients heard over the whole run (<see cref="Clients"/>), to tell an asymmetric
/// re-pairing (one side hears peer.found, the other keeps getting not-paired) from a slow one.
/// </summary>
public sealed record PairOutage(int Pair, int Fault, double? Ms, int Busy)
{
    public string? Clients { get; init; }
}
