using Akka.Cluster.Hosting;
using Akka.Cluster.Sharding;

namespace SocketPeer.Actors.Cluster;

/// <summary>How rooms and sessions are sharded. Both are soft state (DESIGN.md section 5).</summary>
/// <param name="MaxShards">Shards of rooms, and of sessions under <see cref="SessionPlacement.Hash"/>.</param>
/// <param name="ShardsPerNode">Session shards per node under <see cref="SessionPlacement.Local"/>.</param>
public sealed record ShardingSettings(
    int MaxShards = 100,
    string? Role = null,
    SessionPlacement SessionPlacement = SessionPlacement.Local,
    int ShardsPerNode = 16)
{
    public ShardOptions ToShardOptions() => new()
    {
        Role = Role,
        StateStoreMode = StateStoreMode.DData,
        // Soft state, rebuilt from the edges: remembering entities would load
        // LightningDB, which then delivers nothing (DESIGN.md section 7).
        RememberEntities = false,
        // A quiet but live session must keep its pairing, and a paired room hears nothing once
        // relay bypasses it: neither may be passivated for being idle. Rooms stop when empty,
        // sessions when their connection closes.
        ShouldPassivateIdleEntities = false,
        PassivateIdleEntityAfter = null,
    };
}
