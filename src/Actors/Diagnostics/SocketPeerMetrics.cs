using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Akka.Actor;
using Akka.Cluster;
using SocketPeer.Actors.Sessions;

namespace SocketPeer.Actors.Diagnostics;

/// <summary>
/// The <c>SocketPeer</c> meter, one instance per host, exported on <c>/metrics</c> as
/// <c>socketpeer_*</c>. Values live in plain fields and are published through observable
/// instruments, so an exporter and a test reading <see cref="Snapshot"/> see the same numbers, and
/// several hosts in one test process never mix their counts.
/// </summary>
public sealed class SocketPeerMetrics : IDisposable
{
    public const string MeterName = "SocketPeer";

    private readonly Meter _meter;
    private long _connections;
    private long _waiting;
    private long _paired;
    private long _upgraded;
    private long _away;
    private long _pairings;
    private long _resumes;
    private long _relaysRouted;
    private readonly long[] _relayedMessages = new long[4];
    private readonly long[] _relayedBytes = new long[4];
    private readonly ConcurrentDictionary<string, long> _errors = new();
    private readonly ConcurrentDictionary<int, long> _closes = new();
    private readonly ConcurrentDictionary<string, long> _limited = new();
    private readonly ConcurrentDictionary<string, long> _refused = new(StringComparer.Ordinal);
    private long _connectionLimit = -1;
    private volatile Akka.Cluster.Cluster? _cluster;
    private readonly ConcurrentDictionary<string, long> _shards = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _shardHandoffs = new(StringComparer.Ordinal);
    private volatile IReadOnlyList<string> _knownErrors = [];
    private volatile IReadOnlyList<int> _knownCloses = [];
    private volatile IReadOnlyList<string> _knownLimits = [];
    private volatile IReadOnlyList<string> _knownRefusals = [];
    private long _relayBatches;
    private long _relayBatchedMessages;
    private long _webhookDelivered;
    private long _webhookRetries;
    private readonly ConcurrentDictionary<string, long> _webhookDropped = new(StringComparer.Ordinal);
    private volatile Func<long>? _webhookQueued;

    public SocketPeerMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _meter.CreateObservableUpDownCounter("socketpeer.connections", () => Volatile.Read(ref _connections),
            description: "Open WebSocket connections.");
        _meter.CreateObservableUpDownCounter("socketpeer.sessions.waiting", () => Volatile.Read(ref _waiting),
            description: "Sessions alone in a room, waiting for a partner.");
        _meter.CreateObservableUpDownCounter("socketpeer.sessions.paired", () => Volatile.Read(ref _paired),
            description: "Sessions with a partner.");
        _meter.CreateObservableUpDownCounter("socketpeer.sessions.upgraded", () => Volatile.Read(ref _upgraded),
            description: "Paired sessions whose client reports a live RTCDataChannel (rtc.status).");
        _meter.CreateObservableUpDownCounter("socketpeer.sessions.away", () => Volatile.Read(ref _away),
            description: "Resumable sessions whose connection dropped, keeping their seat through the grace period.");
        _meter.CreateObservableCounter("socketpeer.pairings", () => Volatile.Read(ref _pairings),
            description: "Pairs formed.");
        _meter.CreateObservableCounter("socketpeer.resumes", () => Volatile.Read(ref _resumes),
            description: "Sessions taken back by a new connection (resume).");
        _meter.CreateObservableCounter("socketpeer.relayed.messages", () => ByKind(_relayedMessages),
            description: "Messages relayed to a client, by type.");
        _meter.CreateObservableCounter("socketpeer.relayed.bytes", () => ByKind(_relayedBytes), unit: "By",
            description: "Payload bytes relayed to a client, by type.");
        _meter.CreateObservableCounter("socketpeer.relay.batches", () => Volatile.Read(ref _relayBatches),
            description: "Batches of messages to partners on other nodes this node sent (Cluster:RelayBatching).");
        _meter.CreateObservableCounter("socketpeer.relay.batched", () => Volatile.Read(ref _relayBatchedMessages),
            description: "Messages to partners on other nodes this node sent in batches: over socketpeer.relay.batches, the mean batch size.");
        _meter.CreateObservableCounter("socketpeer.relays.routed", () => Volatile.Read(ref _relaysRouted),
            description: "Relays a session sent its partner through the session shard region rather than straight to its entity.");
        _meter.CreateObservableCounter("socketpeer.errors", () => Tagged(_errors, _knownErrors),
            description: "server.error messages sent, by code.");
        _meter.CreateObservableCounter("socketpeer.closes", () => Tagged(_closes, _knownCloses),
            description: "Connections the server closed, by WebSocket close code.");
        _meter.CreateObservableCounter("socketpeer.limited", () => Tagged(_limited, _knownLimits, "limit"),
            description: "Requests a per-address limit refused or trimmed, by limit (docs/security.md).");
        _meter.CreateObservableCounter("socketpeer.refused", () => Tagged(_refused, _knownRefusals, "reason"),
            description: "WebSocket upgrades this node refused with 503 to protect itself, by reason (sockets: at its connection cap; memory: near its memory limit).");
        _meter.CreateObservableGauge("socketpeer.connections.limit", ConnectionLimit,
            description: "Open WebSocket connections this node admits (derived from its open-files limit or SocketPeer:MaxConnections); absent when uncapped.");
        _meter.CreateObservableGauge("socketpeer.cluster.members", ClusterMembers,
            description: "Cluster members this node sees, by status (every status reported, zero included).");
        _meter.CreateObservableGauge("socketpeer.shards", () => Tagged(_shards, Regions, "region"),
            description: "Shards this node hosts, by region (rooms, sessions); polled every few seconds.");
        _meter.CreateObservableCounter("socketpeer.shard.handoffs", () => Tagged(_shardHandoffs, Regions, "region"),
            description: "Shards this node hosted at one poll and no longer at the next (moved away by a rebalance), by region.");
        _meter.CreateObservableGauge("socketpeer.cluster.unreachable", ClusterUnreachable,
            description: "Cluster members this node's failure detector marks unreachable.");
        _meter.CreateObservableCounter("socketpeer.webhook.delivered", () => Volatile.Read(ref _webhookDelivered),
            description: "Room events the webhook receiver accepted (2xx).");
        _meter.CreateObservableCounter("socketpeer.webhook.retries", () => Volatile.Read(ref _webhookRetries),
            description: "Webhook deliveries tried again after a failed attempt.");
        _meter.CreateObservableCounter("socketpeer.webhook.dropped", () => Tagged(_webhookDropped, WebhookDropReasons, "reason"),
            description: "Room events given up on, by reason (queue-full, expired, attempts, rejected).");
        _meter.CreateObservableGauge("socketpeer.webhook.queued", () => _webhookQueued?.Invoke() ?? 0,
            description: "Room events waiting in this node's webhook queue.");
    }

    /// <summary>
    /// Publishes the cluster's membership as this node sees it. Read on each scrape from
    /// <see cref="Akka.Cluster.Cluster.State"/> (a field the cluster keeps current), so nothing is
    /// paid per message; before this is called the gauges report zero.
    /// </summary>
    public void ObserveCluster(ActorSystem system) => _cluster = Akka.Cluster.Cluster.Get(system);

    /// <summary>
    /// Tag values the counters report at zero until they happen, so a fresh node already exposes
    /// their series (dashboards and alerts on rate() or absent() need a series to start from).
    /// </summary>
    public SocketPeerMetrics Declare(IEnumerable<string> errorCodes, IEnumerable<int> closeCodes, IEnumerable<string> limits,
        IEnumerable<string>? refusals = null)
    {
        _knownErrors = [.. errorCodes];
        _knownCloses = [.. closeCodes];
        _knownLimits = [.. limits];
        _knownRefusals = [.. refusals ?? []];
        return this;
    }

    /// <summary>The node's cap on open sockets, published as <c>socketpeer_connections_limit</c>; null: no cap (no series).</summary>
    public void ObserveConnectionLimit(long? limit) => Interlocked.Exchange(ref _connectionLimit, limit ?? -1);

    private IEnumerable<Measurement<long>> ConnectionLimit()
    {
        var limit = Interlocked.Read(ref _connectionLimit);
        return limit < 0 ? [] : [new Measurement<long>(limit)];
    }

    /// <summary>The <c>region</c> tags of <c>socketpeer_shards</c> and <c>socketpeer_shard_handoffs_total</c>.</summary>
    public const string RoomsRegion = "rooms", SessionsRegion = "sessions";

    private static readonly string[] Regions = [RoomsRegion, SessionsRegion];

    /// <summary>A poll of a shard region (<see cref="ShardStatsPoller"/>): shards hosted now, and how many left since the last poll.</summary>
    public void Shards(string region, int hosted, int handedOff)
    {
        _shards[region] = hosted;
        if (handedOff > 0) _shardHandoffs.AddOrUpdate(region, handedOff, (_, n) => n + handedOff);
    }

    /// <summary>The last poll of a region's shards: hosted now, and handed off in all.</summary>
    public (long Hosted, long HandedOff) ShardsOf(string region) =>
        (_shards.GetValueOrDefault(region), _shardHandoffs.GetValueOrDefault(region));

    public void ConnectionOpened() => Interlocked.Increment(ref _connections);
    public void ConnectionClosed() => Interlocked.Decrement(ref _connections);
    public void Waiting(int delta) => Interlocked.Add(ref _waiting, delta);
    public void Paired(int delta) => Interlocked.Add(ref _paired, delta);
    public void Upgraded(int delta) => Interlocked.Add(ref _upgraded, delta);
    public void Away(int delta) => Interlocked.Add(ref _away, delta);
    public void PairFormed() => Interlocked.Increment(ref _pairings);
    public void Resumed() => Interlocked.Increment(ref _resumes);

    /// <summary>A session sent its partner a relay through the session shard region, not straight to its entity.</summary>
    public void RelayedThroughRegion() => Interlocked.Increment(ref _relaysRouted);

    /// <summary>Relays sessions of this node sent their partners through the region so far.</summary>
    public long RelaysThroughRegion => Volatile.Read(ref _relaysRouted);

    public void Relayed(RelayKind kind, int payloadBytes)
    {
        Interlocked.Increment(ref _relayedMessages[(int)kind]);
        Interlocked.Add(ref _relayedBytes[(int)kind], payloadBytes);
    }

    /// <summary>Why a room event was given up on: the queue was full, it grew too old, it ran out of attempts, or the receiver refused it (4xx).</summary>
    public const string WebhookQueueFull = "queue-full", WebhookExpired = "expired", WebhookAttempts = "attempts", WebhookRejected = "rejected";

    private static readonly string[] WebhookDropReasons = [WebhookQueueFull, WebhookExpired, WebhookAttempts, WebhookRejected];

    /// <summary>The webhook queue's length, read on each scrape.</summary>
    /// <summary>A batch of <paramref name="messages"/> left for another node (<see cref="Crossings.CrossingBatcher"/>).</summary>
    public void BatchSent(int messages)
    {
        Interlocked.Increment(ref _relayBatches);
        Interlocked.Add(ref _relayBatchedMessages, messages);
    }

    /// <summary>Batches sent, and the messages in them.</summary>
    public (long Batches, long Messages) Batches() => (Volatile.Read(ref _relayBatches), Volatile.Read(ref _relayBatchedMessages));

    public void ObserveWebhookQueue(Func<long> queued) => _webhookQueued = queued;

    public void WebhookDelivered() => Interlocked.Increment(ref _webhookDelivered);
    public void WebhookRetried() => Interlocked.Increment(ref _webhookRetries);
    public void WebhookDropped(string reason) => _webhookDropped.AddOrUpdate(reason, 1, static (_, n) => n + 1);

    /// <summary>The webhook's counts, for tests and diagnostics.</summary>
    public WebhookCounts Webhooks() => new(Volatile.Read(ref _webhookDelivered), Volatile.Read(ref _webhookRetries),
        new Dictionary<string, long>(_webhookDropped), _webhookQueued?.Invoke() ?? 0);

    public void Error(string code) => _errors.AddOrUpdate(code, 1, static (_, n) => n + 1);
    public void Closed(int closeCode) => _closes.AddOrUpdate(closeCode, 1, static (_, n) => n + 1);

    /// <summary>A per-address limit refused a request: <c>open-sockets</c>, <c>new-sockets</c>, <c>pairs</c>, <c>turn-credentials</c>, <c>ice-requests</c>.</summary>
    public void Limited(string limit) => _limited.AddOrUpdate(limit, 1, static (_, n) => n + 1);

    /// <summary>The node refused an upgrade to protect itself (<c>sockets</c>, <c>memory</c>).</summary>
    public void Refused(string reason) => _refused.AddOrUpdate(reason, 1, static (_, n) => n + 1);

    /// <summary>Upgrades refused for <paramref name="reason"/> so far.</summary>
    public long RefusedFor(string reason) => _refused.GetValueOrDefault(reason);

    /// <summary>The current values, for tests and diagnostics.</summary>
    public MetricsSnapshot Snapshot() => new(
        Volatile.Read(ref _connections), Volatile.Read(ref _waiting), Volatile.Read(ref _paired), Volatile.Read(ref _away),
        Volatile.Read(ref _pairings), Volatile.Read(ref _resumes),
        Volatile.Read(ref _relayedMessages[(int)RelayKind.Data]),
        Volatile.Read(ref _relayedMessages[(int)RelayKind.Signal]),
        new Dictionary<string, long>(_errors), new Dictionary<int, long>(_closes), new Dictionary<string, long>(_limited));

    private static readonly MemberStatus[] Statuses = Enum.GetValues<MemberStatus>();

    private IEnumerable<Measurement<long>> ClusterMembers()
    {
        var members = _cluster?.State.Members;
        foreach (var status in Statuses)
        {
            var count = members?.Count(m => m.Status == status) ?? 0;
            yield return new(count, new KeyValuePair<string, object?>("status", StatusName(status)));
        }
    }

    private long ClusterUnreachable() => _cluster?.State.Unreachable.Count ?? 0;

    /// <summary>The label value of a member status: <c>up</c>, <c>weakly_up</c>, <c>leaving</c>...</summary>
    public static string StatusName(MemberStatus status) => status switch
    {
        MemberStatus.WeaklyUp => "weakly_up",
        _ => status.ToString().ToLowerInvariant(),
    };

    private static IEnumerable<Measurement<long>> ByKind(long[] values) =>
    [
        new(Volatile.Read(ref values[(int)RelayKind.Data]), new KeyValuePair<string, object?>("type", "data")),
        new(Volatile.Read(ref values[(int)RelayKind.Signal]), new KeyValuePair<string, object?>("type", "rtc.signal")),
        new(Volatile.Read(ref values[(int)RelayKind.Connect]), new KeyValuePair<string, object?>("type", "rtc.connect")),
    ];

    private static IEnumerable<Measurement<long>> Tagged<TKey>(ConcurrentDictionary<TKey, long> values, IReadOnlyList<TKey> known,
        string tag = "code")
        where TKey : notnull =>
        known.Where(k => !values.ContainsKey(k)).Select(k => KeyValuePair.Create(k, 0L))
            .Concat(values)
            .Select(e => new Measurement<long>(e.Value, new KeyValuePair<string, object?>(tag, e.Key)));

    public void Dispose() => _meter.Dispose();
}

public sealed record MetricsSnapshot(
    long Connections, long Waiting, long Paired, long Away, long Pairings, long Resumes, long RelayedData, long RelayedSignals,
    IReadOnlyDictionary<string, long> Errors, IReadOnlyDictionary<int, long> Closes, IReadOnlyDictionary<string, long> Limited);

public sealed record WebhookCounts(long Delivered, long Retries, IReadOnlyDictionary<string, long> Dropped, long Queued)
{
    public long DroppedFor(string reason) => Dropped.GetValueOrDefault(reason);
}
