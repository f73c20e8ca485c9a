using Akka.Cluster.Hosting;
using Akka.Cluster.Sharding;
using Akka.Configuration;
using SocketPeer.Actors.Placement;

namespace SocketPeer.Actors.Cluster;

/// <summary>How rooms and sessions are sharded. Both are soft state (docs/architecture.md section 5).</summary>
/// <param name="MaxShards">Shards of rooms, and of sessions under <see cref="SessionPlacement.Hash"/>.</param>
/// <param name="ShardsPerNode">Session shards per node under <see cref="SessionPlacement.Local"/>.</param>
public sealed record ShardingSettings(
    int MaxShards = 100,
    string? Role = null,
    SessionPlacement SessionPlacement = SessionPlacement.Local,
    int ShardsPerNode = 16)
{
    /// <summary>
    /// The shard coordinators write each new shard's home with <c>WriteMajorityPlus</c>: by default a
    /// majority plus 3 (at least 5) nodes, which in a 3-node cluster is every node. From a crash
    /// until the dead node's removal no new shard could be placed, so new sockets, and the successors
    /// that resume a crashed node's sessions, waited ~10 s for their session to start (measured with
    /// tools/SocketPeer.Chaos). A plain majority (2 of 3), read and written alike, still overlaps;
    /// the margin the extra nodes give against membership changes matters little for soft state.
    /// Akka.Hosting has no typed option for these keys (<c>majority-min-cap</c> is set typed).
    /// </summary>
    public static Config CoordinatorStateConfig { get; } = ConfigurationFactory.ParseString("""
        akka.cluster.sharding.coordinator-state {
          write-majority-plus = 0
          read-majority-plus = 0
        }
        """);

    public ShardOptions ToShardOptions() => new()
    {
        Role = Role,
        StateStoreMode = StateStoreMode.DData,
        // Soft state, rebuilt from the edges: remembering entities would load
        // LightningDB, which then delivers nothing (docs/architecture.md section 7).
        RememberEntities = false,
        // A quiet but live session must keep its pairing, and a paired room hears nothing once
        // relay bypasses it: neither may be passivated for being idle. Rooms stop when empty,
        // sessions when their connection closes.
        ShouldPassivateIdleEntities = false,
        PassivateIdleEntityAfter = null,
    };
}
