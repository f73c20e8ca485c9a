using SocketPeer.Testing;

namespace SocketPeer.Cluster.Tests.Infrastructure;

/// <summary>
/// Pairs whose messages cross between batching nodes in batches (<c>Cluster:RelayBatching</c>). Only
/// the direct route is batched: a pairing on the shard region's route (<c>PartnerRoute</c>; before
/// <c>PeerFound</c> named the partner's entity, any whose first relay overtook the partner's hello)
/// never goes through a batcher. A test that relays on with such a pair until its node batches never
/// sees it batch, and its clients run into the rate limit (<c>MessageBurst</c>) long before its
/// deadline: the relay the gateway then drops looks like one the batcher lost. So a pair gets a few
/// round trips, and a new pair is opened in its place if its messages did not cross in batches.
/// </summary>
internal static class BatchedPairs
{
    /// <summary>
    /// Round trips a pair is given: a batcher sends single messages until the other node's inbox has
    /// answered it (one remote round trip). Two messages a round trip, well within the default burst.
    /// </summary>
    public const int RoundTrips = 20;

    /// <summary>Pairs tried before the test gives up.</summary>
    public const int Attempts = 10;

    /// <summary>
    /// Does <paramref name="roundTrip"/> until every one of <paramref name="batching"/> has sent a
    /// message in a batch since the call, at most <see cref="RoundTrips"/> times: true if they all did.
    /// </summary>
    public static async Task<bool> CrossInBatchesAsync(Func<Task> roundTrip, params SocketPeerServer[] batching)
    {
        var before = batching.Select(node => node.Metrics.Batches().Messages).ToArray();
        for (var i = 0; i < RoundTrips; i++)
        {
            await roundTrip();
            if (batching.Select((node, n) => node.Metrics.Batches().Messages > before[n]).All(batched => batched)) return true;
        }
        return false;
    }

    /// <summary>
    /// A pair opened by <paramref name="open"/> whose messages to each other (<see cref="Pairs.AssertRelaysAsync"/>)
    /// cross in batches from each of <paramref name="batching"/>; the pairs whose did not are closed.
    /// </summary>
    public static async Task<(TestClient A, TestClient B)> OpenAsync(
        Func<Task<(TestClient A, TestClient B)>> open, params SocketPeerServer[] batching)
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var (a, b) = await open();
            if (await CrossInBatchesAsync(() => Pairs.AssertRelaysAsync(a, b), batching)) return (a, b);
            await a.DisposeAsync();
            await b.DisposeAsync();
        }
        throw new InvalidOperationException($"none of {Attempts} pairs crossed in batches within {RoundTrips} round trips");
    }
}
