using System.Net;
using SocketPeer.Bench.Client;
using SocketPeer.Bench.Servers;

namespace SocketPeer.Bench.Scenarios;

/// <summary>A running server to drive: where it listens, how to speak to it, and its process to measure.</summary>
public sealed record Target(TargetKind Kind, IPEndPoint Endpoint, Wire Wire, int? Pid, ServerProcess? Process)
{
    public string Name => Kind.Name();

    public static Wire WireFor(TargetKind kind, string socketPath = "/socketpeer/") =>
        kind == TargetKind.PeerJs ? new PeerJsWire() : new SocketPeerWire(socketPath);
}
