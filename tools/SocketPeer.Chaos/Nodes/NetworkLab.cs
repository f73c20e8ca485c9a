using System.Diagnostics;
using System.Security.Cryptography;

namespace SocketPeer.Chaos.Nodes;

/// <summary>
/// The network of a partition run, made with <c>ip</c> and removed afterwards: one network namespace
/// per node, each with a veth into a bridge <c>spc&lt;id&gt;</c> that also carries 10.231.X.1, the
/// harness's own address (its clients connect from there). A partition puts blackhole routes in the
/// namespaces, so packets between the cut node and the others vanish in both directions, as on a
/// failed switch, while the harness still reaches every node. No firewall rules, nothing outside the
/// names this run created. Needs root (CAP_NET_ADMIN).
/// </summary>
public sealed class NetworkLab : IDisposable
{
    private readonly string _id;
    private readonly int _subnet;
    private readonly int _nodes;
    private readonly List<(string Namespace, string Route)> _cuts = [];
    private bool _disposed;

    private NetworkLab(string id, int subnet, int nodes)
    {
        _id = id;
        _subnet = subnet;
        _nodes = nodes;
    }

    public string HarnessAddress => $"10.231.{_subnet}.1";
    public string Bridge => $"spc{_id}";
    public string NamespaceOf(int ordinal) => $"spc{_id}n{ordinal}";
    public string AddressOf(int ordinal) => $"10.231.{_subnet}.{10 + ordinal}";

    public static NetworkLab Create(int nodes)
    {
        if (Environment.UserName != "root")
            throw new ChaosException("a partition run makes network namespaces: run it as root");
        var id = Convert.ToHexString(RandomNumberGenerator.GetBytes(2)).ToLowerInvariant();
        var subnet = RandomNumberGenerator.GetInt32(1, 255);
        if (Ip("route").Contains($"10.231.{subnet}."))
            throw new ChaosException($"10.231.{subnet}.0/24 is in use here; run again");
        var lab = new NetworkLab(id, subnet, nodes);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => lab.Dispose();
        try
        {
            Ip("link", "add", lab.Bridge, "type", "bridge");
            Ip("addr", "add", $"{lab.HarnessAddress}/24", "dev", lab.Bridge);
            Ip("link", "set", lab.Bridge, "up");
            for (var i = 0; i < nodes; i++)
            {
                var ns = lab.NamespaceOf(i);
                string hostEnd = $"spc{id}v{i}", nodeEnd = $"spc{id}p{i}";
                Ip("netns", "add", ns);
                Ip("link", "add", hostEnd, "type", "veth", "peer", "name", nodeEnd);
                Ip("link", "set", nodeEnd, "netns", ns);
                Ip("link", "set", hostEnd, "master", lab.Bridge, "up");
                Ip("-n", ns, "link", "set", "lo", "up");
                Ip("-n", ns, "addr", "add", $"{lab.AddressOf(i)}/24", "dev", nodeEnd);
                Ip("-n", ns, "link", "set", nodeEnd, "up");
            }
        }
        catch
        {
            lab.Dispose();
            throw;
        }
        return lab;
    }

    /// <summary>Cuts <paramref name="ordinal"/> off from every other node (not from the harness).</summary>
    public void Cut(int ordinal)
    {
        for (var other = 0; other < _nodes; other++)
        {
            if (other == ordinal) continue;
            AddBlackhole(NamespaceOf(ordinal), AddressOf(other));
            AddBlackhole(NamespaceOf(other), AddressOf(ordinal));
        }
    }

    public void Heal()
    {
        foreach (var (ns, route) in _cuts) TryIp("-n", ns, "route", "del", "blackhole", route);
        _cuts.Clear();
    }

    private void AddBlackhole(string ns, string address)
    {
        Ip("-n", ns, "route", "add", "blackhole", $"{address}/32");
        _cuts.Add((ns, $"{address}/32"));
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        // Deleting a namespace deletes the veth pair in it; the bridge goes last.
        for (var i = 0; i < _nodes; i++) TryIp("netns", "del", NamespaceOf(i));
        TryIp("link", "del", Bridge);
    }

    private static string Ip(params string[] args)
    {
        var (code, output) = Run(args);
        if (code != 0) throw new ChaosException($"ip {string.Join(' ', args)}: {output.Trim()}");
        return output;
    }

    private static void TryIp(params string[] args) => Run(args);

    private static (int Code, string Output) Run(string[] args)
    {
        var start = new ProcessStartInfo("ip", args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new ChaosException("could not run ip");
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }
}
