using Akka.Cluster;

namespace SocketPeer.Testing;

/// <summary>
/// N SocketPeer servers in this process forming one cluster on loopback (docs/architecture.md section 7): the
/// first joins itself, the others get it as their seed node; started when every node sees every
/// node Up.
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    private static readonly TimeSpan FormedWithin = TimeSpan.FromSeconds(30);

    private TestCluster(IReadOnlyList<SocketPeerServer> nodes) => Nodes = nodes;

    public IReadOnlyList<SocketPeerServer> Nodes { get; }

    public SocketPeerServer this[int index] => Nodes[index];

    /// <param name="settings">Configuration overrides for every node (see <see cref="SocketPeerServer.StartAsync(ValueTuple{string, string}[])"/>).</param>
    public static Task<TestCluster> StartAsync(int nodes, params (string Key, string Value)[] settings) =>
        StartAsync(nodes, _ => settings);

    /// <param name="settingsOf">Configuration overrides for the node of each index (the first is the seed).</param>
    public static async Task<TestCluster> StartAsync(int nodes, Func<int, (string Key, string Value)[]> settingsOf)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nodes, 1);
        var first = await SocketPeerServer.StartAsync(settingsOf(0));
        var started = new List<SocketPeerServer> { first };
        try
        {
            var seed = ("SocketPeer:Cluster:SeedNodes", first.ClusterAddress.ToString());
            var starting = Enumerable.Range(1, nodes - 1).Select(i => SocketPeerServer.StartAsync([.. settingsOf(i), seed])).ToList();
            foreach (var node in starting)
                started.Add(await node);
            var cluster = new TestCluster(started);
            await Task.WhenAll(started.Select(node => MembershipWait.UntilAsync(node.System,
                view => view.Members.Count == nodes && view.Members.Values.All(s => s == MemberStatus.Up) && view.Unreachable.Count == 0,
                FormedWithin, "every node sees every node Up")));
            return cluster;
        }
        catch
        {
            await Task.WhenAll(started.Select(n => n.DisposeAsync().AsTask()));
            throw;
        }
    }

    public async ValueTask DisposeAsync() =>
        await Task.WhenAll(Nodes.Select(n => n.DisposeAsync().AsTask()));
}
