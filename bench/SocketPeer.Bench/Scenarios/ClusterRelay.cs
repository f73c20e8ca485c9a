using System.Net;
using System.Net.Sockets;
using SocketPeer.Bench.Cli;
using SocketPeer.Bench.Client;
using SocketPeer.Bench.Reporting;
using SocketPeer.Bench.Servers;

namespace SocketPeer.Bench.Scenarios;

/// <summary>
/// Relay on SocketPeer clusters (issue 7, docs/architecture.md section 6): the same closed- and open-loop relay as
/// <see cref="RelayScenario"/>. Two nodes, for each session placement (<c>Local</c>: a session lives on
/// its socket's node; <c>Hash</c>: plain hashing) and each layout (<c>split</c>: the two ends of every
/// pair on different nodes; <c>one-node</c>: both ends on the first node); and three nodes with Local
/// placement and the pairs spread over all three (<c>3n-local-spread</c>: one node against three is
/// this against the single-node <c>socketpeer</c> target). Server CPU is every node's.
/// Each combination is a target of its own in the results: <c>2n-local-split</c>, <c>2n-hash-one-node</c>, ….
/// </summary>
public static class ClusterRelay
{
    public const string Name = "cluster";

    private static readonly (string Label, string Placement, int Nodes, bool Spread)[] Layouts =
    [
        ("2n-local-split", "Local", 2, true), ("2n-local-one-node", "Local", 2, false),
        ("2n-hash-split", "Hash", 2, true), ("2n-hash-one-node", "Hash", 2, false),
        ("3n-local-spread", "Local", 3, true),
    ];

    /// <summary>The layouts <paramref name="settings"/> asks for, each also with cluster TLS on when it says so.</summary>
    public static IEnumerable<(string Label, string Placement, int Nodes, bool Spread, bool Tls)> LayoutsOf(BenchSettings settings)
    {
        var unknown = settings.ClusterLayouts.Except(Layouts.Select(l => l.Label)).ToList();
        if (unknown.Count > 0) throw new BenchException($"no cluster layout {string.Join(", ", unknown)}");
        foreach (var (label, placement, nodes, spread) in Layouts)
        {
            if (settings.ClusterLayouts.Count > 0 && !settings.ClusterLayouts.Contains(label)) continue;
            yield return (label, placement, nodes, spread, false);
            if (settings.ClusterTls) yield return (label + "-tls", placement, nodes, spread, true);
        }
    }

    public static async Task<List<ScenarioResult>> RunAsync(BenchSettings settings, ProgressLine progress, int repeat,
        CancellationToken cancel)
    {
        var results = new List<ScenarioResult>();
        // One CA per run, and one certificate for every node: each node presents it and trusts the CA.
        using var authority = settings.ClusterTls ? LocalCertificateAuthority.Create("socketpeer-bench-ca") : null;
        using var certificate = authority?.Issue("socketpeer-bench-node", "127.0.0.1");
        using var tlsFiles = certificate is null ? null : new NodeTlsFiles(certificate, authority!.Certificate);
        foreach (var (label, placement, count, spread, tls) in LayoutsOf(settings))
        {
            var nodes = new List<ServerProcess>();
            var tlsSettings = tls ? tlsFiles!.Settings() : [];
            try
            {
                progress.Say($"starting a {count}-node cluster, {placement} placement{(tls ? ", TLS" : "")}, for {label}, repeat {repeat}");
                var port = FreeLoopbackPort();
                nodes.Add(await ServerProcess.StartAsync(TargetKind.SocketPeer,
                    ServerLaunch.ClusterNode(port, seed: null, placement, settings.ServerEnvironment, tlsSettings), cancel));
                while (nodes.Count < count)
                    nodes.Add(await ServerProcess.StartAsync(TargetKind.SocketPeer,
                        ServerLaunch.ClusterNode(0, $"akka.tcp://socketpeer@127.0.0.1:{port}", placement, settings.ServerEnvironment, tlsSettings), cancel));
                var first = nodes[0];
                var wire = new SocketPeerWire("/socketpeer/", nodes: spread ? [.. nodes.Select(n => n.Endpoint)] : null);
                var target = new Target(TargetKind.SocketPeer, first.Endpoint, wire, first.Pid, first)
                {
                    Label = label,
                    OtherPids = [.. nodes.Skip(1).Select(n => n.Pid)],
                };
                foreach (var open in new[] { false, true })
                {
                    var context = new ScenarioContext(target, settings, progress, $"r{repeat}-{label}-{Guid.NewGuid():N}"[..30], cancel);
                    progress.Say($"{label}: {(open ? RelayScenario.OpenName : RelayScenario.ClosedName)}, repeat {repeat}");
                    var result = open
                        ? await RelayScenario.RunOpenAsync(context, repeat)
                        : await RelayScenario.RunClosedAsync(context, repeat);
                    progress.Say($"  {result.Operations:N0} messages, {result.OperationsPerSecond:N0}/s, server {result.ServerCpuUsPerOperation:0.0} µs CPU each, " +
                                 $"p50 {result.Latency?.P50Us:N0} µs p99 {result.Latency?.P99Us:N0} µs");
                    results.Add(result);
                }
            }
            catch (Exception e) when (e is BenchException or HttpRequestException || (e is OperationCanceledException && !cancel.IsCancellationRequested))
            {
                progress.Say($"  FAILED: {e.Message}");
                results.Add(new ScenarioResult { Target = label, Scenario = RelayScenario.ClosedName, Repeat = repeat, Failed = e.Message });
            }
            finally
            {
                for (var i = nodes.Count - 1; i >= 0; i--) await nodes[i].DisposeAsync();
            }
        }
        return results;
    }

    /// <summary>
    /// A port for the first node's remoting, which the second needs before the first has started (its
    /// seed address). Probed, so another process could take it first: the start then fails and says so.
    /// </summary>
    private static int FreeLoopbackPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
