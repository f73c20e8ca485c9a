namespace SocketPeer.Chaos.Faults;

/// <summary>The faults a run can inject (docs/chaos.md describes each and what it promises).</summary>
public enum FaultKind
{
    /// <summary>No fault: the baseline every promise must hold for.</summary>
    None,
    /// <summary>SIGKILL one node: a crashed pod or a lost machine.</summary>
    Kill9,
    /// <summary>SIGTERM one node: a graceful stop (sockets closed with 1012, shards handed off).</summary>
    Sigterm,
    /// <summary>Every node stopped and started again in turn, highest ordinal first: a StatefulSet rollout.</summary>
    Rolling,
    /// <summary>One node cut off from the others (not from the clients) for a while, then healed.</summary>
    Partition,
    /// <summary>Some clients stop reading while their partners keep sending.</summary>
    StuckConsumer,
}

public static class FaultNames
{
    public static string Name(this FaultKind fault) => fault switch
    {
        FaultKind.None => "none",
        FaultKind.Kill9 => "kill9",
        FaultKind.Sigterm => "sigterm",
        FaultKind.Rolling => "rolling",
        FaultKind.Partition => "partition",
        FaultKind.StuckConsumer => "stuck-consumer",
        _ => throw new ArgumentOutOfRangeException(nameof(fault)),
    };

    public static FaultKind Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "none" => FaultKind.None,
        "kill9" or "kill-9" or "sigkill" => FaultKind.Kill9,
        "sigterm" or "term" => FaultKind.Sigterm,
        "rolling" or "rolling-update" => FaultKind.Rolling,
        "partition" => FaultKind.Partition,
        "stuck-consumer" or "stuck" => FaultKind.StuckConsumer,
        _ => throw new ArgumentException($"unknown fault \"{name}\" (none, kill9, sigterm, rolling, partition, stuck-consumer)"),
    };
}
