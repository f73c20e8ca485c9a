namespace SocketPeer.Chaos.Nodes;

/// <summary>
/// What a Kubernetes Service would route a new connection to: nodes whose <c>/ready</c> answered 200
/// at the last probe and that the rollout has not taken out (a pod being deleted leaves the
/// endpoints before its preStop sleep). Probed every <see cref="ProbeInterval"/> by
/// <see cref="RunProbesAsync"/>.
/// </summary>
public sealed class Endpoints(IReadOnlyList<NodeSpec> nodes)
{
    public static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(500);

    private readonly bool[] _ready = new bool[nodes.Count];
    private readonly bool[] _removed = new bool[nodes.Count];
    private readonly Lock _gate = new();

    public IReadOnlyList<NodeSpec> Nodes => nodes;

    /// <summary>
    /// The node a client should try: <paramref name="preferred"/> if it is in rotation, else the next
    /// one in rotation after it; if none is, <paramref name="preferred"/> anyway (it will fail fast
    /// and the client backs off).
    /// </summary>
    public NodeSpec Pick(int preferred)
    {
        lock (_gate)
        {
            for (var step = 0; step < nodes.Count; step++)
            {
                var i = (preferred + step) % nodes.Count;
                if (_ready[i] && !_removed[i]) return nodes[i];
            }
        }
        return nodes[preferred % nodes.Count];
    }

    public void Remove(int ordinal)
    {
        lock (_gate) _removed[ordinal] = true;
    }

    public void Restore(int ordinal)
    {
        lock (_gate) _removed[ordinal] = false;
    }

    public void MarkReady(int ordinal, bool ready)
    {
        lock (_gate) _ready[ordinal] = ready;
    }

    public async Task RunProbesAsync(CancellationToken cancel)
    {
        var clients = nodes.Select(n => new HttpClient { BaseAddress = n.HttpBase, Timeout = TimeSpan.FromSeconds(2) }).ToArray();
        try
        {
            using var timer = new PeriodicTimer(ProbeInterval);
            do
            {
                var probes = clients.Select(c => NodeHealth.IsReadyAsync(c, cancel)).ToArray();
                var ready = await Task.WhenAll(probes);
                for (var i = 0; i < ready.Length; i++) MarkReady(i, ready[i]);
            } while (await timer.WaitForNextTickAsync(cancel));
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }
        finally
        {
            foreach (var c in clients) c.Dispose();
        }
    }
}
