using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using SocketPeer.Actors.Diagnostics;
using SocketPeer.Gateway.Options;

namespace SocketPeer.Gateway.Limits;

/// <summary>
/// The per-address rate limits of this node, each a token bucket per <see cref="ClientAddress"/> key
/// (System.Threading.RateLimiting: partitions are created on first use, refilled by the partitioned
/// limiter's own timer and dropped once full and idle): new sockets, <c>pair</c> attempts,
/// <c>busy</c> answers and TURN credentials. Open sockets per address are the rate limiter
/// middleware's (<c>ConnectionsPerAddress</c>). Limits are per node, not per cluster.
/// </summary>
public sealed class AddressLimits : IDisposable
{
    private readonly SocketPeerOptions _options;
    private readonly SocketPeerMetrics? _metrics;
    private readonly PartitionedRateLimiter<string> _connects;
    private readonly PartitionedRateLimiter<string> _pairs;
    private readonly PartitionedRateLimiter<string> _busy;
    private readonly PartitionedRateLimiter<string> _turnCredentials;

    /// <param name="metrics">counts each refusal (<c>socketpeer_limited_total{limit}</c>), when given.</param>
    public AddressLimits(IOptions<SocketPeerOptions> options, SocketPeerMetrics? metrics = null)
    {
        _options = options.Value;
        _metrics = metrics;
        _connects = PerAddress(_options.ConnectBurst, _options.ConnectsPerMinute);
        _pairs = PerAddress(_options.PairBurst, _options.PairsPerMinute);
        _busy = PerAddress(_options.BusyBurst, _options.BusyPerMinute);
        _turnCredentials = PerAddress(_options.Ice.CredentialBurst, _options.Ice.CredentialsPerMinute);
    }

    /// <summary>The key the limits of <paramref name="http"/>'s client count under (after forwarded headers).</summary>
    public string KeyOf(HttpContext http) =>
        ClientAddress.KeyOf(http.Connection.RemoteIpAddress, _options.IPv4PrefixLength, _options.IPv6PrefixLength);

    /// <summary>The limits one connection's client counts against.</summary>
    public ClientBudget For(string key) => new(this, key);

    /// <summary>Takes a connect from <paramref name="key"/>'s bucket; null when admitted, else how long until one is free.</summary>
    public TimeSpan? TryConnect(string key) => Counted(Take(_connects, key), NewSockets);

    internal bool TryPair(string key) =>
        // A pair attempt needs a token of its own and a busy bucket that is not empty: an address
        // that keeps hearing busy (it is guessing codes that are taken) stops pairing for a while.
        Counted(Has(_busy, key) && Take(_pairs, key) is null, Pairs);

    internal void Busy(string key) => Take(_busy, key);

    internal bool TryMintTurnCredential(string key) => Counted(Take(_turnCredentials, key) is null, TurnCredentials);

    /// <summary>The <c>limit</c> tags of <c>socketpeer_limited_total</c>.</summary>
    public const string OpenSockets = "open-sockets", NewSockets = "new-sockets", Pairs = "pairs",
        TurnCredentials = "turn-credentials", IceRequests = "ice-requests";

    private TimeSpan? Counted(TimeSpan? retryAfter, string limit)
    {
        if (retryAfter is not null) _metrics?.Limited(limit);
        return retryAfter;
    }

    private bool Counted(bool allowed, string limit)
    {
        if (!allowed) _metrics?.Limited(limit);
        return allowed;
    }

    private static PartitionedRateLimiter<string> PerAddress(int burst, int perMinute) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key,
            _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = burst,
                TokensPerPeriod = 1,
                ReplenishmentPeriod = TimeSpan.FromMinutes(1) / perMinute,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));

    private static TimeSpan? Take(PartitionedRateLimiter<string> limiter, string key)
    {
        using var lease = limiter.AttemptAcquire(key);
        if (lease.IsAcquired) return null;
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
    }

    private static bool Has(PartitionedRateLimiter<string> limiter, string key)
    {
        using var lease = limiter.AttemptAcquire(key, permitCount: 0); // a peek: takes nothing
        return lease.IsAcquired;
    }

    public void Dispose()
    {
        _connects.Dispose();
        _pairs.Dispose();
        _busy.Dispose();
        _turnCredentials.Dispose();
    }
}

/// <summary>One connection's view of its address's limits: the key is computed once, at the upgrade.</summary>
public sealed class ClientBudget(AddressLimits limits, string key)
{
    public string Key => key;

    /// <summary>A <c>pair</c> may go to the session (false: refuse it with <c>pair-limited</c>).</summary>
    public bool TryPair() => limits.TryPair(key);

    /// <summary>The client was told <c>busy</c>.</summary>
    public void Busy() => limits.Busy(key);

    /// <summary>A TURN credential may be minted for this client.</summary>
    public bool TryMintTurnCredential() => limits.TryMintTurnCredential(key);
}
