using Akka.Cluster;
using SocketPeer.Tools;

namespace SocketPeer.Testing;

/// <summary>
/// N SocketPeer servers in this process forming one cluster on loopback (docs/architecture.md section 7): the
/// first joins itself, the others get it as their seed node; started when every node sees every
/// node Up. The nodes speak mutual TLS, as in production (SocketPeer:Cluster:Tls, with hostname
/// validation): a CA made for the cluster signs one certificate for 127.0.0.1 that every node
/// presents. A test turns it off with <c>("SocketPeer:Cluster:Tls:Enabled", "false")</c>.
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    private static readonly TimeSpan FormedWithin = TimeSpan.FromSeconds(30);
    private readonly IDisposable _tls;

    private TestCluster(IReadOnlyList<SocketPeerServer> nodes, IDisposable tls)
    {
        Nodes = nodes;
        _tls = tls;
    }

    public IReadOnlyList<SocketPeerServer> Nodes { get; }

    public SocketPeerServer this[int index] => Nodes[index];

    /// <param name="settings">Configuration overrides for every node (see <see cref="SocketPeerServer.StartAsync(ValueTuple{string, string}[])"/>).</param>
    public static Task<TestCluster> StartAsync(int nodes, params (string Key, string Value)[] settings) =>
        StartAsync(nodes, _ => settings);

    /// <param name="settingsOf">Configuration overrides for the node of each index (the first is the seed).</param>
    public static async Task<TestCluster> StartAsync(int nodes, Func<int, (string Key, string Value)[]> settingsOf)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nodes, 1);
        var tls = ClusterTlsFiles.Create();
        // The test's own settings come after TLS's, so that they win.
        (string Key, string Value)[] SettingsOf(int node) => [.. tls.Files.Settings(validateHostname: true), .. settingsOf(node)];
        var started = new List<SocketPeerServer>();
        try
        {
            var first = await SocketPeerServer.StartAsync(SettingsOf(0));
            started.Add(first);
            var seed = ("SocketPeer:Cluster:SeedNodes", first.ClusterAddress.ToString());
            var starting = Enumerable.Range(1, nodes - 1).Select(i => SocketPeerServer.StartAsync([.. SettingsOf(i), seed])).ToList();
            foreach (var node in starting)
                started.Add(await node);
            var cluster = new TestCluster(started, tls);
            await Task.WhenAll(started.Select(node => MembershipWait.UntilAsync(node.System,
                view => view.Members.Count == nodes && view.Members.Values.All(s => s == MemberStatus.Up) && view.Unreachable.Count == 0,
                FormedWithin, "every node sees every node Up")));
            return cluster;
        }
        catch
        {
            await Task.WhenAll(started.Select(n => n.DisposeAsync().AsTask()));
            tls.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Tears the whole cluster down: every node first marks itself down, so its coordinated shutdown
    /// skips the cluster leave, then its host stops. A leave is what a test stops a node with when it
    /// means a graceful stop (<see cref="SocketPeerServer.StopAsync"/>), but every node leaving at
    /// once stalls: the first node out takes away the convergence the others wait for, and so does a
    /// crashed node still unreachable. Each stall waited out the 10 s of Akka's <c>cluster-exiting</c>
    /// phase, about half of every cluster test's time; downed, a node stops in a fraction of a second.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes) Akka.Cluster.Cluster.Get(node.System).Down(node.ClusterAddress);
        await Task.WhenAll(Nodes.Select(n => n.DisposeAsync().AsTask()));
        _tls.Dispose();
    }

    /// <summary>A cluster's CA and the node certificate's files, deleted together.</summary>
    private sealed class ClusterTlsFiles(LocalCertificateAuthority ca, NodeTlsFiles files) : IDisposable
    {
        public NodeTlsFiles Files => files;

        public static ClusterTlsFiles Create()
        {
            var ca = LocalCertificateAuthority.Create("SocketPeer test cluster CA");
            using var certificate = ca.Issue("socketpeer-node", "127.0.0.1", "localhost");
            return new ClusterTlsFiles(ca, new NodeTlsFiles(certificate, ca.Certificate));
        }

        public void Dispose()
        {
            files.Dispose();
            ca.Dispose();
        }
    }
}
