namespace SocketPeer.Chaos.Client;

/// <summary>
/// <c>--layout</c>: where a pair's two clients connect first. <see cref="Split"/> (the default) puts
/// them on neighbouring nodes, so every relayed message crosses nodes; <see cref="SameNode"/> puts
/// both on one node, so a single-node fault takes both ends of some pairs at once (docs/failover.md,
/// "Successor sessions", step 4: no live partner to succeed to).
/// </summary>
public enum PairLayout
{
    Split,
    SameNode,
}

public static class PairLayouts
{
    /// <summary>Client a's first node: pair i on node i mod N in every layout.</summary>
    public static int HomeOfA(int pair, int nodes) => pair % nodes;

    /// <summary>Client b's first node: the next node, or a's own in <see cref="PairLayout.SameNode"/>.</summary>
    public static int HomeOfB(this PairLayout layout, int pair, int nodes) => layout switch
    {
        PairLayout.Split => (pair + 1) % nodes,
        PairLayout.SameNode => pair % nodes,
        _ => throw new ArgumentOutOfRangeException(nameof(layout)),
    };

    public static string Name(this PairLayout layout) => layout == PairLayout.SameNode ? "same-node" : "split";

    public static PairLayout Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "split" => PairLayout.Split,
        "same-node" => PairLayout.SameNode,
        _ => throw new ArgumentException($"unknown layout \"{name}\" (split, same-node)"),
    };
}
