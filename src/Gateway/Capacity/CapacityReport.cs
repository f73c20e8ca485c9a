namespace SocketPeer.Gateway.Capacity;

/// <summary>
/// Says at start what this node may hold and why: the open-files limit, the socket cap derived from
/// it, Kestrel's cap on connections not upgraded, and the memory check. An operator reads here
/// whether the container runtime gave the node what docs/kubernetes.md asks for.
/// </summary>
public sealed class CapacityReport(ConnectionCapacity capacity, HostLimits host, ConnectionGate gate,
    ILogger<CapacityReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (capacity.Limit is not { } limit)
            logger.LogInformation("Open-files limit unknown on this platform; WebSockets capped at {Sockets}",
                capacity.IsCapped ? capacity.Sockets : "nothing (SocketPeer:MaxConnections is 0)");
        else if (limit.IsUnlimited)
            logger.LogInformation("Open-files limit unlimited; WebSockets capped at {Sockets}",
                capacity.IsCapped ? capacity.Sockets : "nothing (SocketPeer:MaxConnections is 0)");
        else
            logger.LogInformation(
                "Open files: soft limit {Soft}, hard {Hard}; WebSockets capped at {Sockets} (headroom {Headroom}), connections not upgraded at {Pending}",
                limit.Soft, limit.Hard, capacity.Sockets, ConnectionCapacity.HeadroomFor(limit.Soft), capacity.PendingConnections);
        foreach (var warning in capacity.Warnings())
            logger.LogWarning("{Warning}", warning);
        if (gate.MemoryThreshold is { } threshold)
            logger.LogInformation("Memory limit {Limit} bytes: new WebSockets refused while the working set is at or above {Threshold} bytes",
                host.MemoryBytes, threshold);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
