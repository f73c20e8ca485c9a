using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
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
    private readonly long[] _relayedMessages = new long[4];
    private readonly long[] _relayedBytes = new long[4];
    private readonly ConcurrentDictionary<string, long> _errors = new();
    private readonly ConcurrentDictionary<int, long> _closes = new();
    private readonly ConcurrentDictionary<string, long> _limited = new();

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
        _meter.CreateObservableCounter("socketpeer.errors", () => Tagged(_errors),
            description: "server.error messages sent, by code.");
        _meter.CreateObservableCounter("socketpeer.closes", () => Tagged(_closes),
            description: "Connections the server closed, by WebSocket close code.");
        _meter.CreateObservableCounter("socketpeer.limited", () => Tagged(_limited, "limit"),
            description: "Requests a per-address limit refused or trimmed, by limit (docs/security.md).");
    }

    public void ConnectionOpened() => Interlocked.Increment(ref _connections);
    public void ConnectionClosed() => Interlocked.Decrement(ref _connections);
    public void Waiting(int delta) => Interlocked.Add(ref _waiting, delta);
    public void Paired(int delta) => Interlocked.Add(ref _paired, delta);
    public void Upgraded(int delta) => Interlocked.Add(ref _upgraded, delta);
    public void Away(int delta) => Interlocked.Add(ref _away, delta);
    public void PairFormed() => Interlocked.Increment(ref _pairings);
    public void Resumed() => Interlocked.Increment(ref _resumes);

    public void Relayed(RelayKind kind, int payloadBytes)
    {
        Interlocked.Increment(ref _relayedMessages[(int)kind]);
        Interlocked.Add(ref _relayedBytes[(int)kind], payloadBytes);
    }

    public void Error(string code) => _errors.AddOrUpdate(code, 1, static (_, n) => n + 1);
    public void Closed(int closeCode) => _closes.AddOrUpdate(closeCode, 1, static (_, n) => n + 1);

    /// <summary>A per-address limit refused a request: <c>open-sockets</c>, <c>new-sockets</c>, <c>pairs</c>, <c>turn-credentials</c>, <c>ice-requests</c>.</summary>
    public void Limited(string limit) => _limited.AddOrUpdate(limit, 1, static (_, n) => n + 1);

    /// <summary>The current values, for tests and diagnostics.</summary>
    public MetricsSnapshot Snapshot() => new(
        Volatile.Read(ref _connections), Volatile.Read(ref _waiting), Volatile.Read(ref _paired), Volatile.Read(ref _away),
        Volatile.Read(ref _pairings), Volatile.Read(ref _resumes),
        Volatile.Read(ref _relayedMessages[(int)RelayKind.Data]),
        Volatile.Read(ref _relayedMessages[(int)RelayKind.Signal]),
        new Dictionary<string, long>(_errors), new Dictionary<int, long>(_closes), new Dictionary<string, long>(_limited));

    private static IEnumerable<Measurement<long>> ByKind(long[] values) =>
    [
        new(Volatile.Read(ref values[(int)RelayKind.Data]), new KeyValuePair<string, object?>("type", "data")),
        new(Volatile.Read(ref values[(int)RelayKind.Signal]), new KeyValuePair<string, object?>("type", "rtc.signal")),
        new(Volatile.Read(ref values[(int)RelayKind.Connect]), new KeyValuePair<string, object?>("type", "rtc.connect")),
    ];

    private static IEnumerable<Measurement<long>> Tagged<TKey>(ConcurrentDictionary<TKey, long> values, string tag = "code")
        where TKey : notnull =>
        values.Select(e => new Measurement<long>(e.Value, new KeyValuePair<string, object?>(tag, e.Key)));

    public void Dispose() => _meter.Dispose();
}

public sealed record MetricsSnapshot(
    long Connections, long Waiting, long Paired, long Away, long Pairings, long Resumes, long RelayedData, long RelayedSignals,
    IReadOnlyDictionary<string, long> Errors, IReadOnlyDictionary<int, long> Closes, IReadOnlyDictionary<string, long> Limited);
