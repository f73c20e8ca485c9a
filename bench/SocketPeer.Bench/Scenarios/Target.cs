using System.Net;
using SocketPeer.Bench.Client;
using SocketPeer.Bench.Servers;

namespace SocketPeer.Bench.Scenarios;

/// <summary>A running server to drive: where it listens, how to speak to it, and its process to measure.</summary>
public sealed record Target(TargetKind Kind, IPEndPoint Endpoint, Wire Wire, int? Pid, ServerProcess? Process)
{
    public string Name => Label ?? Kind.Name();

    /// <summary>A name for the results other than the kind's (a cluster: <c>socketpeer-2-nodes</c>).</summary>
    public string? Label { get; init; }

    /// <summary>The other processes of a multi-node server, whose CPU counts as the server's too.</summary>
    public IReadOnlyList<int> OtherPids { get; init; } = [];

    public static Wire WireFor(TargetKind kind, string socketPath = "/socketpeer/") =>
        kind == TargetKind.PeerJs ? new PeerJsWire() : new SocketPeerWire(socketPath);
}
