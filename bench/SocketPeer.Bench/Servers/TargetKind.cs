namespace SocketPeer.Bench.Servers;

/// <summary>The servers a run can drive. Names are the ones the command line and the results use.</summary>
public enum TargetKind
{
    /// <summary>Our gateway (src/Gateway), Release build, one-node cluster.</summary>
    SocketPeer,
    /// <summary>bench/SocketPeer.Bench.RawRelay: Kestrel and a dictionary, the floor of our stack.</summary>
    Raw,
    /// <summary>The PeerJS server (npm <c>peer</c>) on Node, from bench/peerjs.</summary>
    PeerJs,
    /// <summary>
    /// Another build of our gateway (<c>--base-gateway PATH</c>, e.g. an earlier commit built with
    /// <c>-o</c>), started exactly like <see cref="SocketPeer"/>: before/after in one interleaved run.
    /// </summary>
    SocketPeerBase,
    /// <summary>A server the user started (<c>--url</c>), spoken to in SocketPeer's protocol.</summary>
    External,
}

public static class TargetNames
{
    public static string Name(this TargetKind kind) => kind switch
    {
        TargetKind.SocketPeer => "socketpeer",
        TargetKind.Raw => "raw",
        TargetKind.PeerJs => "peerjs",
        TargetKind.SocketPeerBase => "socketpeer-base",
        _ => "external",
    };

    public static TargetKind Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "socketpeer" or "ours" => TargetKind.SocketPeer,
        "raw" or "kestrel" => TargetKind.Raw,
        "peerjs" or "peer" => TargetKind.PeerJs,
        "socketpeer-base" or "base" => TargetKind.SocketPeerBase,
        _ => throw new ArgumentException($"unknown target \"{name}\" (socketpeer, raw, peerjs, socketpeer-base)"),
    };
}
