using Akka.Cluster.Hosting;
using Akka.Cluster.Hosting.SBR;
using Akka.Hosting;
using Akka.Remote.Hosting;
using SocketPeer.Actors.Diagnostics;
using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Serialization;
using SocketPeer.Actors.Sessions;

namespace SocketPeer.Actors.Cluster;

public static class SocketPeerCluster
{
    /// <summary>
    /// Everything the domain needs from Akka: remoting, clustering, our serializer, and the room and
    /// session shard regions. A host calls this once inside <c>AddAkka</c>.
    /// </summary>
    public static AkkaConfigurationBuilder AddSocketPeerCluster(this AkkaConfigurationBuilder builder,
        ClusterSettings cluster, SessionSettings sessions, SocketPeerMetrics metrics)
    {
        var sharding = new ShardingSettings(SessionPlacement: cluster.SessionPlacement);
        builder
            .WithRemoting(new RemoteOptions
            {
                HostName = cluster.Hostname,
                PublicHostName = string.IsNullOrWhiteSpace(cluster.PublicHostname) ? null : cluster.PublicHostname,
                Port = cluster.Port,
            })
            .WithClustering(new ClusterOptions
            {
                SeedNodes = cluster.SeedNodes,
                Roles = cluster.Roles,
                SplitBrainResolver = new KeepMajorityOption(),
                FailureDetector = cluster.Timings.ToFailureDetectorOptions(),
            })
            // What ClusterOptions cannot say (see ClusterTimings.ToUntypedConfig), ahead of the defaults.
            .AddHocon(cluster.Timings.ToUntypedConfig(), HoconAddMode.Prepend)
            .WithShardingDistributedData(options =>
            {
                // Soft state only: durable ddata keys would load LightningDB (docs/architecture.md section 7).
                options.Durable.Keys = [];
                // See ShardingSettings.CoordinatorStateConfig: a plain majority, not every node.
                options.MajorityMinimumCapacity = 2;
            })
            .AddHocon(ShardingSettings.CoordinatorStateConfig, HoconAddMode.Prepend)
            .WithCustomSerializer("socketpeer", [typeof(ISocketPeerMessage)], system => new SocketPeerSerializer(system))
            .AddRooms(sharding)
            .AddPeerSessions(sharding, sessions, metrics)
            // From the start: a connection lost before anyone asks must still count.
            .AddStartup((system, _) => LostConnections.Get(system));
        if (cluster.DownCrashedProcesses)
            builder.AddStartup((system, _) => system.ActorOf(CrashedProcessDowning.Props(), "crashed-process-downing"));

        if (cluster.SeedNodes.Length == 0)
        {
            // No seeds configured: this node is the whole cluster. Joining the bound address (not a
            // configured one) also works with port 0.
            builder.AddStartup((system, _) =>
            {
                var self = Akka.Cluster.Cluster.Get(system);
                self.Join(self.SelfAddress);
            });
        }
        return builder;
    }
}
