using Akka.Cluster.Hosting;
using Akka.Cluster.Hosting.SBR;
using Akka.Event;
using Akka.Hosting;
using Akka.Remote.Hosting;
using SocketPeer.Actors.Crossings;
using SocketPeer.Actors.Diagnostics;
using SocketPeer.Actors.Events;
using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Serialization;
using SocketPeer.Actors.Sessions;

namespace SocketPeer.Actors.Cluster;

public static class SocketPeerCluster
{
    /// <summary>
    /// Everything the domain needs from Akka: remoting, clustering, our serializer, and the room and
    /// session shard regions. A host calls this once inside <c>AddAkka</c>. <paramref name="events"/>
    /// hears what happens to pairings (the gateway's webhook); none by default.
    /// </summary>
    public static AkkaConfigurationBuilder AddSocketPeerCluster(this AkkaConfigurationBuilder builder,
        ClusterSettings cluster, SessionSettings sessions, SocketPeerMetrics metrics, IRoomEvents? events = null)
    {
        var sharding = ShardingSettings.From(cluster);
        var remote = RemoteOptionsOf(cluster);
        builder
            .WithRemoting(remote)
            .WithClustering(new ClusterOptions
            {
                SeedNodes = cluster.SeedAddresses(),
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
            .AddRooms(sharding, cluster.Roles)
            .AddPeerSessions(sharding, sessions, metrics, events ?? NoRoomEvents.Instance, cluster.RelayBatching)
            // On every node, batching or not: any node of this release may send it batches.
            .AddStartup((system, _) => system.ActorOf(CrossingInbox.Props(), CrossingInbox.Name))
            // From the start: a connection lost before anyone asks must still count.
            .AddStartup((system, _) => LostConnections.Get(system));
        if (!sharding.HostsRooms(cluster.Roles))
            builder.AddStartup((system, _) => LogRoomProxy(system, sharding.RoomRole!, cluster.SeedNodes.Length == 0));
        if (remote.Ssl.X509Certificate is { } certificate)
            builder.AddStartup((system, _) => LogTls(system, certificate, cluster.Tls));
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

    /// <summary>Remoting: where it binds, what it advertises, and TLS when <see cref="ClusterSettings.Tls"/> is on.</summary>
    public static RemoteOptions RemoteOptionsOf(ClusterSettings cluster)
    {
        var remote = new RemoteOptions
        {
            HostName = cluster.Hostname,
            PublicHostName = string.IsNullOrWhiteSpace(cluster.PublicHostname) ? null : cluster.PublicHostname,
            Port = cluster.Port,
        };
        cluster.Tls.ApplyTo(remote);
        return remote;
    }

    /// <summary>What this node presents and how long for: a certificate is read only at start-up, so one near its end needs a restart.</summary>
    private static void LogTls(Akka.Actor.ActorSystem system, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, ClusterTlsSettings tls)
    {
        system.Log.Info("Cluster TLS on: presenting {0} (issued by {1}, valid until {2:u}); accepting peers whose certificate chains to {3}{4}",
            certificate.Subject, certificate.Issuer, certificate.NotAfter.ToUniversalTime(), tls.CaPath,
            tls.ValidateHostname ? " and names the host connected to" : "");
        if (certificate.NotAfter.ToUniversalTime() - DateTime.UtcNow < TimeSpan.FromDays(7))
            system.Log.Warning("Cluster TLS: this node's certificate {0} expires at {1:u}; restart the node once the renewed one is in {2}",
                certificate.Subject, certificate.NotAfter.ToUniversalTime(), tls.CertificatePath);
    }

    /// <summary>A node without <see cref="ShardingSettings.RoomRole"/> says that its rooms live elsewhere.</summary>
    private static void LogRoomProxy(Akka.Actor.ActorSystem system, string role, bool alone)
    {
        if (alone)
            system.Log.Warning("This node hosts no room shards (SocketPeer:Cluster:RoomRole={0} is not among its roles) " +
                "and has no seed nodes: until a node with that role joins, no pairing is answered", role);
        else
            system.Log.Info("This node hosts no room shards: rooms live on the nodes with role {0} (SocketPeer:Cluster:RoomRole)", role);
    }
}
