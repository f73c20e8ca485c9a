using Akka.Actor;
using Akka.Event;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SocketPeer.Actors.Cluster;
using SocketPeer.Actors.Diagnostics;
using SocketPeer.Actors.Sessions;

namespace SocketPeer.Actors.Tests.Infrastructure;

/// <summary>
/// A one-node SocketPeer cluster in a generic host, configured the way the gateway configures it
/// (<see cref="SocketPeerCluster.AddSocketPeerCluster"/> inside <c>AddAkka</c>), remoting on port 0.
/// </summary>
internal sealed class SocketPeerNode : IDisposable
{
    private readonly IHost _host;

    private SocketPeerNode(IHost host) => _host = host;

    public ActorSystem System => _host.Services.GetRequiredService<ActorSystem>();
    public ActorRegistry Registry => _host.Services.GetRequiredService<ActorRegistry>();
    public SocketPeerMetrics Metrics => _host.Services.GetRequiredService<SocketPeerMetrics>();

    /// <summary>Starts the node; its cluster forms (joins itself) in the background.</summary>
    public static SocketPeerNode Start(SessionSettings sessions)
    {
        var host = new HostBuilder()
            .ConfigureServices(services =>
            {
                services.AddMetrics();
                services.AddSingleton<SocketPeerMetrics>();
                services.AddAkka(ClusterSettings.SystemName, (akka, provider) => akka
                    .ConfigureLoggers(loggers => loggers.LogLevel = LogLevel.WarningLevel)
                    .AddSocketPeerCluster(new ClusterSettings { Port = 0 }, sessions,
                        provider.GetRequiredService<SocketPeerMetrics>()));
            })
            .Build();
        // The base TestKit takes its system in its constructor, so the start cannot be awaited there.
        host.StartAsync().GetAwaiter().GetResult();
        return new SocketPeerNode(host);
    }

    /// <summary>
    /// Stops the host, downed first so that coordinated shutdown skips the leave and the shard
    /// hand-off. Here the sessions' connections are probes that stay attached (the gateway closes
    /// every socket before its node hands off), so as the hand-off stops a pair's entities the
    /// survivor of the two reacts: it gives its partner up (to the room and to the partner, through
    /// the regions). A one-node cluster has no node to place those shards on, the regions kept the
    /// messages, and each waited out the 10 s of Akka's <c>cluster-sharding-shutdown-region</c> phase.
    /// </summary>
    public void Dispose()
    {
        var cluster = Akka.Cluster.Cluster.Get(System);
        cluster.Down(cluster.SelfAddress);
        _host.StopAsync().GetAwaiter().GetResult();
        _host.Dispose();
    }
}
