using SocketPeer.Chaos.Nodes;
using SocketPeer.Chaos.Report;

namespace SocketPeer.Chaos.Client;

/// <summary>
/// Two clients sharing a pair code, homed on different nodes (a on node i mod N, b on the next), so
/// every relayed message crosses nodes and every single-node fault touches some pairs; or, with
/// <see cref="PairLayout.SameNode"/>, both on node i mod N.
/// </summary>
public sealed class ChaosPair
{
    /// <param name="resume">false: both clients are resume clients that never opt in (the stuck-consumer fault's pairs).</param>
    /// <param name="kind">which client both ends run.</param>
    /// <param name="layout">where the two clients connect first.</param>
    public ChaosPair(int id, string runId, int nodes, Endpoints endpoints, RunClock clock, bool resume = true, ClientKind kind = ClientKind.Resume, PairLayout layout = PairLayout.Split)
    {
        var homeOfA = PairLayouts.HomeOfA(id, nodes);
        var homeOfB = layout.HomeOfB(id, nodes);
        Id = id;
        Kind = kind;
        AToB = new DirectionLog(id, "a→b");
        BToA = new DirectionLog(id, "b→a");
        var code = $"chaos-{runId}-{id}";
        if (kind == ClientKind.Original)
        {
            A = new OriginalPeer(id, isA: true, code, homeOfA, endpoints, clock, outbound: AToB, inbound: BToA);
            B = new OriginalPeer(id, isA: false, code, homeOfB, endpoints, clock, outbound: BToA, inbound: AToB);
        }
        else
        {
            A = new ChaosPeer(id, isA: true, code, homeOfA, endpoints, clock, outbound: AToB, inbound: BToA, resume);
            B = new ChaosPeer(id, isA: false, code, homeOfB, endpoints, clock, outbound: BToA, inbound: AToB, resume);
        }
    }

    public int Id { get; }
    public ClientKind Kind { get; }
    public IChaosClient A { get; }
    public IChaosClient B { get; }
    public DirectionLog AToB { get; }
    public DirectionLog BToA { get; }
    /// <summary>Set by the stuck-consumer fault: b stops reading while a floods it.</summary>
    public bool Stuck { get; set; }

    public IEnumerable<IChaosClient> Peers => [A, B];
}
