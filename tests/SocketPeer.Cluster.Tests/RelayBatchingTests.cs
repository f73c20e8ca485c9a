using SocketPeer.Cluster.Tests.Infrastructure;
using SocketPeer.Testing;
using Xunit.Abstractions;

namespace SocketPeer.Cluster.Tests;

/// <summary>
/// Relay batching (<c>Cluster:RelayBatching</c>, docs/architecture.md section 6): messages to partners
/// on the other node go in batches, in order, none lost, across a resume and beside a node that does
/// not batch.
/// </summary>
public sealed class RelayBatchingTests(TwoNodeBatchingFixture fixture, ITestOutputHelper output) : IClassFixture<TwoNodeBatchingFixture>
{
    private const int Pairs = 6;
    private const int MessagesEach = 150;

    private TestCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task Pairs_across_the_nodes_relay_many_messages_both_ways_in_order_and_none_is_lost()
    {
        await using var pairs = await CrossingPairs.OpenAsync(Cluster, Pairs);
        await pairs.BatchingAsync(Cluster, [.. Cluster.Nodes]);
        var before = Cluster.Nodes.Select(n => n.Metrics.Batches()).ToList();

        // Every client sends at once, so the batchers of both nodes have many sessions' messages queued together.
        await pairs.RelayNumberedAsync(MessagesEach);

        for (var node = 0; node < 2; node++)
        {
            var (batches, messages) = Cluster[node].Metrics.Batches();
            (batches, messages) = (batches - before[node].Batches, messages - before[node].Messages);
            output.WriteLine($"node {node}: {messages} messages in {batches} batches ({(double)messages / Math.Max(1, batches):F1} a batch)");
            // At least one client's burst crossed in batches. Not necessarily all: a pairing on the
            // region's route is not batched (BatchedPairs).
            Assert.True(messages >= MessagesEach, $"node {node} batched {messages} messages");
        }
    }
}

/// <summary>
/// The switch from single messages to batches under traffic, on a cluster of its own so that no
/// batcher exists yet: every client sends at once, so the first message for the other node starts
/// that node's batcher and the ones behind it reach the batcher while it waits for the inbox's
/// answer (sent on their own) and after it (in batches). Each partner gets every message, in order.
/// </summary>
public sealed class RelayBatchingSwitchTests(ITestOutputHelper output)
{
    private const int Pairs = 6;
    private const int MessagesEach = 150;

    /// <summary>Bursts sent before giving up on batching.</summary>
    private const int Bursts = 20;

    [Fact]
    public async Task Messages_sent_while_the_batcher_waits_for_the_inbox_and_after_it_arrive_all_and_in_order()
    {
        await using var cluster = await TestCluster.StartAsync(2, [.. TwoNodeBatchingFixture.Batching, .. TwoNodeBatchingFixture.Unlimited]);
        await using var pairs = await CrossingPairs.OpenAsync(cluster, Pairs);

        // The inbox's answer crosses behind the burst's single messages: under load it may come only
        // after the first burst, so bursts follow one another, each numbered on from the last, until
        // something was batched; every partner gets each burst whole and in order.
        var bursts = 0;
        while (cluster.Nodes.Sum(node => node.Metrics.Batches().Messages) == 0)
        {
            Assert.True(bursts < Bursts, $"nothing crossed in batches in {Bursts} bursts");
            await pairs.RelayNumberedAsync(MessagesEach, first: bursts * MessagesEach + 1);
            bursts++;
        }
        // And once batching, one more burst, in batches where the route allows.
        await pairs.RelayNumberedAsync(MessagesEach, first: bursts * MessagesEach + 1);

        var batched = cluster.Nodes.Select(node => node.Metrics.Batches().Messages);
        output.WriteLine($"{bursts} bursts before a batch; batched: {string.Join(", ", batched)} of {(bursts + 1) * Pairs * MessagesEach} messages each node sent");
    }
}

/// <summary>
/// A node that batches next to one that does not (the option turned on node by node): both relay to
/// each other, since every node has the inbox a batch goes to.
/// </summary>
public sealed class MixedRelayBatchingTests
{
    [Fact]
    public async Task A_node_that_batches_and_one_that_does_not_relay_to_each_other_in_order()
    {
        await using var cluster = await TestCluster.StartAsync(2,
            node => node == 0 ? [.. TwoNodeBatchingFixture.Batching, .. TwoNodeBatchingFixture.Unlimited] : TwoNodeBatchingFixture.Unlimited);
        await using var pairs = await CrossingPairs.OpenAsync(cluster, 4);
        await pairs.BatchingAsync(cluster, cluster[0]);

        await pairs.RelayNumberedAsync(50);

        Assert.Equal((0, 0), cluster[1].Metrics.Batches());
    }
}

/// <summary>Pairs whose two clients are on different nodes of a two-node cluster.</summary>
internal sealed class CrossingPairs : IAsyncDisposable
{
    private readonly List<(TestClient Client, TestClient Partner)> _clients = [];

    public static async Task<CrossingPairs> OpenAsync(TestCluster cluster, int pairs)
    {
        var opened = new CrossingPairs();
        for (var i = 0; i < pairs; i++)
        {
            var (a, b) = await PairAcrossAsync(cluster[i % 2], cluster[(i + 1) % 2]);
            opened._clients.AddRange([(a, b), (b, a)]);
        }
        return opened;
    }

    /// <summary>
    /// Relays both ways until each of <paramref name="nodes"/> has sent batches: a batcher sends single
    /// messages until the other node's inbox has answered it, and a pairing on the region's route
    /// never batches (<see cref="BatchedPairs"/>), which is why there are several pairs, and another
    /// one when they did not do it within <see cref="BatchedPairs.RoundTrips"/>. Each relay here is a lone message awaited before the
    /// next: the batcher sends it without more traffic behind it (no timer, no waiting for a full batch).
    /// </summary>
    public async Task BatchingAsync(TestCluster cluster, params SocketPeerServer[] nodes)
    {
        for (var added = 0; ; added++)
        {
            if (await BatchedPairs.CrossInBatchesAsync(RoundTripAsync, nodes)) return;
            Assert.True(added < BatchedPairs.Attempts, $"a node did not batch with {added} pairs added");
            var (a, b) = await PairAcrossAsync(cluster[added % 2], cluster[(added + 1) % 2]);
            _clients.AddRange([(a, b), (b, a)]);
        }
    }

    private async Task RoundTripAsync()
    {
        foreach (var (client, partner) in _clients) await Pairs.AssertRelaysAsync(client, partner);
    }

    /// <summary>
    /// Every client sends <paramref name="count"/> messages numbered from <paramref name="first"/> at
    /// once; each partner gets them all, in order.
    /// </summary>
    public async Task RelayNumberedAsync(int count, int first = 1)
    {
        await Task.WhenAll(_clients.Select(async c =>
        {
            for (var i = first; i < first + count; i++) await c.Client.SendAsync("data", $"{c.Client.SessionId} {i}");
        }));
        await Task.WhenAll(_clients.Select(async c =>
        {
            for (var i = first; i < first + count; i++)
                Assert.Equal($"{c.Client.SessionId} {i}", (await c.Partner.ExpectAsync("data")).GetProperty("data").GetString());
        }));
    }

    public static async Task<(TestClient, TestClient)> PairAcrossAsync(SocketPeerServer first, SocketPeerServer second)
    {
        var code = Codes.New();
        var a = await first.ConnectAsync();
        var b = await second.ConnectAsync();
        await a.PairAsync(code);
        await b.PairAsync(code);
        await a.ExpectAsync("peer.found");
        await b.ExpectAsync("peer.found");
        return (a, b);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (client, _) in _clients) await client.DisposeAsync();
    }
}

/// <summary>
/// A resume across batching nodes: the partner's answer and its replay cross in one batcher's order,
/// so the resumed session takes the replay (it drops live relays until the answer has come).
/// </summary>
public sealed class ResumeWithRelayBatchingTests
{
    private static readonly (string Key, string Value)[] SharedSecret =
        [("SocketPeer:Resume:Secret", Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)(i * 11)).ToArray()))];

    [Fact]
    public async Task A_client_resumes_through_the_other_node_and_gets_what_it_missed_in_order()
    {
        await using var cluster = await TestCluster.StartAsync(2,
            [.. SharedSecret, .. TwoNodeBatchingFixture.Batching, .. TwoNodeBatchingFixture.Unlimited]);
        var (first, second) = (cluster[0], cluster[1]);
        long received = 0; // the highest of B's messages A's client has
        ResumablePair? batched = null;
        for (var attempt = 0; batched is null; attempt++)
        {
            // A pair whose messages cross in batches both ways (BatchedPairs: not every pair's do).
            Assert.True(attempt < BatchedPairs.Attempts, $"none of {BatchedPairs.Attempts} pairs crossed in batches both ways");
            var tried = await Resumable.PairAsync(first, second);
            var crossed = await BatchedPairs.CrossInBatchesAsync(async () =>
            {
                await tried.B.SendAsync("data", "before");
                received = (await tried.A.ExpectSkippingTokensAsync("data")).GetProperty("seq").GetInt64();
                await tried.A.SendAsync("data", "before");
                await tried.B.ExpectSkippingTokensAsync("data");
            }, first, second);
            if (crossed) batched = tried;
            else await Task.WhenAll(tried.A.DisposeAsync().AsTask(), tried.B.DisposeAsync().AsTask());
        }
        var pair = batched;
        var b = pair.B;
        await using var _ = b;
        await using var __ = pair.A;

        // A's socket drops; B keeps sending; A comes back through the other node (its session stays
        // on the first): the resume, the answer and the replay all cross between the nodes.
        pair.A.Abort();
        for (var i = 1; i <= 20; i++) await b.SendAsync("data", $"while away {i}");
        await using var a = await second.ConnectAsync();
        await a.SendTextAsync(Resumable.Resume(pair.TokenA, received));
        Assert.Equal("paired", (await a.ExpectResumedAsync()).GetProperty("data").GetProperty("state").GetString());
        for (var i = 1; i <= 20; i++)
        {
            var missed = await a.ExpectSkippingTokensAsync("data");
            Assert.Equal(($"while away {i}", received + i), (missed.GetProperty("data").GetString(), missed.GetProperty("seq").GetInt64()));
        }

        await b.SendAsync("data", "welcome back");
        Assert.Equal("welcome back", (await a.ExpectSkippingTokensAsync("data")).GetProperty("data").GetString());
        await a.SendAsync("data", "back");
        Assert.Equal("back", (await b.ExpectSkippingTokensAsync("data")).GetProperty("data").GetString());
        await b.ExpectNothingPendingAsync(); // no peer.left ever reached B
    }
}
