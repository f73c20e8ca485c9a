using Akka.Actor;
using Akka.Cluster.Sharding;

namespace SocketPeer.Actors.Diagnostics;

/// <summary>
/// Asks a shard region every <c>interval</c> which shards it hosts (<see cref="GetShardRegionStats"/>:
/// shard ids and entity counts, no entity ids) and reports them to <see cref="SocketPeerMetrics"/>:
/// the number hosted, and every shard hosted at the last poll and gone at this one as a handoff (a
/// rebalance moved it away). A shard that comes and goes between two polls is not seen.
/// </summary>
public sealed class ShardStatsPoller : ReceiveActor, IWithTimers
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(10);

    private readonly TimeSpan _interval;
    private HashSet<string>? _hosted;

    public ShardStatsPoller(IActorRef region, string regionName, SocketPeerMetrics metrics, TimeSpan interval)
    {
        Receive<Poll>(_ => region.Tell(GetShardRegionStats.Instance));
        Receive<ShardRegionStats>(stats =>
        {
            // A shard that did not answer in time (Failed) is still hosted here.
            var hosted = stats.Stats.Keys.Concat(stats.Failed).ToHashSet(StringComparer.Ordinal);
            var gone = _hosted?.Count(id => !hosted.Contains(id)) ?? 0;
            _hosted = hosted;
            metrics.Shards(regionName, hosted.Count, gone);
        });
        _interval = interval;
    }

    protected override void PreStart() => Timers.StartPeriodicTimer(Poll.Instance, Poll.Instance, TimeSpan.Zero, _interval);

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef region, string regionName, SocketPeerMetrics metrics, TimeSpan? interval = null) =>
        Akka.Actor.Props.Create(() => new ShardStatsPoller(region, regionName, metrics, interval ?? DefaultInterval));

    private sealed class Poll
    {
        public static readonly Poll Instance = new();
    }
}
