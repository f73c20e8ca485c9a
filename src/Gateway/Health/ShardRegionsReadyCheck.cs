using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Sessions;

namespace SocketPeer.Gateway.Health;

/// <summary>Readiness: both shard regions of this node answer a state query in time.</summary>
public static class ShardRegionsReadyCheck
{
    public const string Name = "shard-regions";
    private static readonly TimeSpan AnswerWithin = TimeSpan.FromSeconds(2);

    public static async Task<HealthCheckResult> CheckAsync(ActorSystem system, ActorRegistry registry, CancellationToken cancel)
    {
        try
        {
            await Task.WhenAll(
                registry.Get<RoomRegion>().Ask<CurrentShardRegionState>(GetShardRegionState.Instance, AnswerWithin, cancel),
                registry.Get<SessionRegion>().Ask<CurrentShardRegionState>(GetShardRegionState.Instance, AnswerWithin, cancel));
            return HealthCheckResult.Healthy("room and session shard regions answer");
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy("a shard region does not answer", e);
        }
    }
}
