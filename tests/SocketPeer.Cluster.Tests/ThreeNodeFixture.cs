using SocketPeer.Testing;

namespace SocketPeer.Cluster.Tests;

/// <summary>A three-node cluster with the default options, shared by the tests that do not stop a node.</summary>
public sealed class ThreeNodeFixture : IAsyncLifetime
{
    private TestCluster? _cluster;

    public TestCluster Cluster => _cluster ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => _cluster = await TestCluster.StartAsync(3);

    public async Task DisposeAsync()
    {
        if (_cluster is not null) await _cluster.DisposeAsync();
    }
}
