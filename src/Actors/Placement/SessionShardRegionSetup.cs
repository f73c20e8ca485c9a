using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Cluster.Sharding;
using Akka.Configuration;
using Akka.DependencyInjection;
using Akka.Hosting;
using SocketPeer.Actors.Cluster;

namespace SocketPeer.Actors.Placement;

public static class SessionShardRegionSetup
{
    /// <summary>
    /// Starts the session shard region with the placement of <see cref="ShardingSettings.SessionPlacement"/>.
    /// Akka.Hosting's <c>WithShardRegion</c> always uses the default allocation strategy, so for
    /// <see cref="SessionPlacement.Local"/> this does what it does (the same <see cref="ShardOptions"/>
    /// over <c>akka.cluster.sharding</c>) with <see cref="LocalSessionAllocationStrategy"/> instead.
    /// </summary>
    public static AkkaConfigurationBuilder WithSessionShardRegion<TKey>(this AkkaConfigurationBuilder builder,
        string typeName, Func<ActorSystem, IActorRegistry, IDependencyResolver, Func<string, Props>> entityProps,
        ShardingSettings sharding)
    {
        if (sharding.SessionPlacement == SessionPlacement.Hash)
            return builder.WithShardRegion<TKey>(typeName, entityProps,
                new HashSessionMessageExtractor(sharding.MaxShards), sharding.SessionShardOptions());

        builder.AddHocon(ClusterSharding.DefaultConfig()
            .WithFallback(Akka.DistributedData.DistributedData.DefaultConfig())
            .WithFallback(Akka.Cluster.Tools.Singleton.ClusterSingleton.DefaultConfig()), HoconAddMode.Append);
        return builder.StartActors(async (system, registry, resolver) =>
        {
            var options = sharding.SessionShardOptions();
            var config = ConfigurationFactory.ParseString(options.ToString())
                .WithFallback(system.Settings.Config.GetConfig("akka.cluster.sharding"));
            var settings = ClusterShardingSettings.Create(config,
                system.Settings.Config.GetConfig(config.GetString("coordinator-singleton")));
            var region = await ClusterSharding.Get(system).StartAsync(typeName, entityProps(system, registry, resolver),
                settings, new LocalSessionMessageExtractor(sharding.ShardsPerNode), new LocalSessionAllocationStrategy(),
                options.HandOffStopMessage ?? PoisonPill.Instance);
            registry.Register<TKey>(region);
        });
    }
}
