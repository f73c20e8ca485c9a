namespace SocketPeer.Chaos.Nodes;

/// <summary>
/// One node of the cluster as a StatefulSet pod is: an ordinal, a stable address and stable ports
/// that survive restarts. <paramref name="Namespace"/> is the network namespace it runs in, if any
/// (partition runs only).
/// </summary>
public sealed record NodeSpec(int Ordinal, string Address, int HttpPort, int RemotingPort, string? Namespace)
{
    public string Name => $"node-{Ordinal}";
    public Uri HttpBase => new($"http://{Address}:{HttpPort}");
    public Uri SocketUri => new($"ws://{Address}:{HttpPort}/socketpeer/");
    public string AkkaAddress => $"akka.tcp://socketpeer@{Address}:{RemotingPort}";
}
