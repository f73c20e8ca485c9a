using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Sessions;
using SocketPeer.Gateway.Hosting;
using SocketPeer.Testing;

namespace SocketPeer.Cluster.Tests.Infrastructure;

/// <summary>What a test asks of one node besides its sockets: where its entities run, its readiness.</summary>
internal static class NodeState
{
    private static readonly TimeSpan AnswerWithin = TimeSpan.FromSeconds(5);

    /// <summary>The session entities running on this node, by the node's own shard region.</summary>
    public static async Task<IReadOnlySet<string>> SessionEntitiesAsync(this SocketPeerServer node)
    {
        var region = node.Services.GetRequiredService<ActorRegistry>().Get<SessionRegion>();
        var state = await region.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, AnswerWithin);
        return state.Shards.SelectMany(s => s.EntityIds).ToHashSet();
    }

    /// <summary>The session shards this node hosts.</summary>
    public static async Task<IReadOnlySet<string>> SessionShardsAsync(this SocketPeerServer node)
    {
        var region = node.Services.GetRequiredService<ActorRegistry>().Get<SessionRegion>();
        var state = await region.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, AnswerWithin);
        return state.Shards.Select(s => s.ShardId).ToHashSet();
    }

    /// <summary>The room entities (pair codes) running on this node, by the node's own room region or proxy.</summary>
    public static async Task<IReadOnlySet<string>> RoomEntitiesAsync(this SocketPeerServer node)
    {
        var region = node.Services.GetRequiredService<ActorRegistry>().Get<RoomRegion>();
        var state = await region.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, AnswerWithin);
        return state.Shards.SelectMany(s => s.EntityIds).ToHashSet();
    }

    /// <summary>The readiness checks (<c>/ready</c>) evaluated in-process, usable while the host stops.</summary>
    public static async Task<HealthStatus> ReadinessAsync(this SocketPeerServer node)
    {
        var report = await node.Services.GetRequiredService<HealthCheckService>()
            .CheckHealthAsync(check => check.Tags.Contains(SocketPeerServices.ReadyTag));
        return report.Status;
    }
}
