using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SocketPeer.Gateway.Health;

/// <summary>
/// Readiness turns false the moment the host starts stopping (SIGTERM), before sockets close with
/// 1012 and long before the node hands its shards off and leaves the cluster: load balancers stop
/// sending new clients here first (docs/architecture.md section 5, "graceful stop").
/// </summary>
public sealed class StoppingCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public const string Name = "not-stopping";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(lifetime.ApplicationStopping.IsCancellationRequested
            ? HealthCheckResult.Unhealthy("the host is stopping")
            : HealthCheckResult.Healthy("the host is running"));
}
