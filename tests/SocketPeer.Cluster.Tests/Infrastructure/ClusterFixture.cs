using SocketPeer.Testing;

namespace SocketPeer.Cluster.Tests.Infrastructure;

/// <summary>
/// A cluster that one test class shares: started once with its nodes' settings, downed once after
/// the class. For tests that do not stop or crash a node (those start a cluster of their own).
/// </summary>
public abstract class ClusterFixture(int nodes, params (string Key, string Value)[] settings) : IAsyncLifetime
{
    private TestCluster? _cluster;

    public TestCluster Cluster => _cluster ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => _cluster = await TestCluster.StartAsync(nodes, settings);

    public async Task DisposeAsync()
    {
        if (_cluster is not null) await _cluster.DisposeAsync();
    }
}

/// <summary>Three nodes with the default options.</summary>
public sealed class ThreeNodeFixture() : ClusterFixture(3);

/// <summary>Two nodes that share a resume secret.</summary>
public sealed class TwoNodeResumableFixture() : ClusterFixture(2,
    ("SocketPeer:Resume:Secret", Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)(i * 11)).ToArray())));

/// <summary>Two nodes that send messages to partners on the other node in batches (<c>Cluster:RelayBatching</c>).</summary>
public sealed class TwoNodeBatchingFixture() : ClusterFixture(2, [.. Batching, .. Unlimited])
{
    public static readonly (string Key, string Value)[] Batching = [("SocketPeer:Cluster:RelayBatching:Enabled", "true")];

    /// <summary>The edge's rate limits out of the way: the test sends as fast as the sockets take it.</summary>
    public static readonly (string Key, string Value)[] Unlimited =
        [("SocketPeer:MessagesPerSecond", "100000"), ("SocketPeer:MessageBurst", "100000")];
}
