using Akka.Cluster.Hosting;
using Akka.Cluster.Sharding;
using Akka.Configuration;
using SocketPeer.Actors.Placement;

namespace SocketPeer.Actors.Cluster;

/// <summary>How rooms and sessions are sharded. Both are soft state (docs/architecture.md section 5).</summary>
/// <param name="MaxShards">Shards of rooms, and of sessions under <see cref="SessionPlacement.Hash"/>.</param>
/// <param name="RoomRole">
/// The cluster role whose nodes host room shards (<see cref="ClusterSettings.RoomRole"/>); null: every
/// node. Sessions take no role: they live with their socket (<see cref="SessionPlacement.Local"/>).
/// </param>
/// <param name="ShardsPerNode">Session shards per node under <see cref="SessionPlacement.Local"/>.</param>
public sealed record ShardingSettings(
    int MaxShards = 100,
    string? RoomRole = null,
    SessionPlacement SessionPlacement = SessionPlacement.Local,
    int ShardsPerNode = 16)
{
    /// <summary>The sharding of a node with <paramref name="cluster"/>'s settings.</summary>
    public static ShardingSettings From(ClusterSettings cluster) => new(
        RoomRole: string.IsNullOrWhiteSpace(cluster.RoomRole) ? null : cluster.RoomRole,
        SessionPlacement: cluster.SessionPlacement);

    /// <summary>
    /// Whether a node with <paramref name="roles"/> hosts room shards: every node when
    /// <see cref="RoomRole"/> is null, else the nodes that have it. The others start a proxy.
    /// </summary>
    public bool HostsRooms(IReadOnlyCollection<string> roles) => RoomRole is null || roles.Contains(RoomRole);

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

    /// <summary>The room region's options: hosted only on <see cref="RoomRole"/>'s nodes.</summary>
    public ShardOptions RoomShardOptions() => ToShardOptions(RoomRole);

    /// <summary>The session region's options: hosted on every node.</summary>
    public ShardOptions SessionShardOptions() => ToShardOptions(role: null);

    private static ShardOptions ToShardOptions(string? role) => new()
    {
        Role = role,
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
