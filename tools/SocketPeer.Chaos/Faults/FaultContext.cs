using SocketPeer.Chaos.Cli;
using SocketPeer.Chaos.Client;
using SocketPeer.Chaos.Nodes;
using SocketPeer.Chaos.Report;

namespace SocketPeer.Chaos.Faults;

/// <summary>What a fault can act on, and where it writes down what it did.</summary>
public sealed class FaultContext(ChaosSettings settings, NodeCluster cluster, RunClock clock,
    IReadOnlyList<ChaosPair> pairs, Traffic traffic, Action<string> progress)
{
    public ChaosSettings Settings => settings;
    public NodeCluster Cluster => cluster;
    public RunClock Clock => clock;
    public IReadOnlyList<ChaosPair> Pairs => pairs;
    public Traffic Traffic => traffic;
    public List<FaultEvent> Events { get; } = [];

    public FaultEvent Record(string what, int? node, bool disruptive = true)
    {
        var e = new FaultEvent(clock.Now, what, node) { Disruptive = disruptive };
        lock (Events) Events.Add(e);
        progress(what);
        return e;
    }

    public void Say(string line) => progress(line);
}
