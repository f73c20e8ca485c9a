namespace SocketPeer.Chaos.Report;

/// <summary>One application message as its receiver saw it: its number, when it was sent, when it arrived.</summary>
public readonly record struct Arrival(long Number, double SentAtMs, double ReceivedAtMs);

/// <summary>One application message as its sender made it.</summary>
public readonly record struct Sent(long Number, double SentAtMs);

/// <summary>
/// Everything one direction of one pair (a→b or b→a) sent and received, at the application level:
/// the numbers in the payload, whatever the protocol did underneath (resends, replays, re-pairing).
/// The sender appends to <see cref="Sends"/>, the receiver to <see cref="Arrivals"/>.
/// </summary>
public sealed class DirectionLog(int pair, string direction)
{
    private readonly List<Sent> _sends = [];
    private readonly List<Arrival> _arrivals = [];
    private readonly HashSet<long> _distinct = [];

    public int Pair { get; } = pair;
    /// <summary>"a→b" or "b→a".</summary>
    public string Direction { get; } = direction;

    public void RecordSend(long number, double sentAtMs)
    {
        lock (_sends) _sends.Add(new Sent(number, sentAtMs));
    }

    public void RecordArrival(long number, double sentAtMs, double receivedAtMs)
    {
        lock (_arrivals)
        {
            _arrivals.Add(new Arrival(number, sentAtMs, receivedAtMs));
            _distinct.Add(number);
        }
    }

    public IReadOnlyList<Sent> Sends
    {
        get { lock (_sends) return _sends.ToArray(); }
    }

    public IReadOnlyList<Arrival> Arrivals
    {
        get { lock (_arrivals) return _arrivals.ToArray(); }
    }

    /// <summary>True when every number sent so far has arrived at least once.</summary>
    public bool AllArrived
    {
        get
        {
            long sent;
            lock (_sends) sent = _sends.Count;
            lock (_arrivals) return _distinct.Count >= sent;
        }
    }
}
