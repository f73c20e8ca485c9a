using System.Diagnostics;
using System.Net.WebSockets;
using Akka;
using Akka.Actor;
using Akka.Cluster;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SocketPeer.Cluster.Tests.Infrastructure;
using SocketPeer.Gateway.Hosting;
using SocketPeer.Testing;
using Xunit.Abstractions;

namespace SocketPeer.Cluster.Tests;

/// <summary>A node told to stop (SIGTERM, a rolling update) on a three-node cluster (docs/architecture.md section 5).</summary>
public sealed class GracefulLeaveTests(ITestOutputHelper output)
{
    private static readonly TimeSpan RemovedWithin = TimeSpan.FromSeconds(20);

    private static int ExtraPairs =>
        int.TryParse(Environment.GetEnvironmentVariable("SOCKETPEER_LEAVE_PAIRS"), out var pairs) ? pairs : 0;

    /// <param name="batching">
    /// With relay batching on (<c>Cluster:RelayBatching</c>), the pair across the leaving node is one
    /// whose messages from the leaving node cross in batches (<see cref="BatchedPairs"/>): the
    /// partner's death watch still ends the pair, since it watches the partner's own ref.
    /// </param>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_stopping_node_says_not_ready_closes_with_1012_hands_off_and_leaves_while_the_others_relay_on(bool batching)
    {
        await using var cluster = await TestCluster.StartAsync(3,
            [("SocketPeer:ConnectionsPerAddress", "10000"), ("SocketPeer:Cluster:RelayBatching:Enabled", batching ? "true" : "false")]);
        var (leaving, stays1, stays2) = (cluster[2], cluster[0], cluster[1]);
        // A pair on the nodes that stay, a pair across the leaving node, a pair on the leaving node.
        var (a, b) = await PairAcrossAsync(stays1, stays2);
        var (c, d) = batching
            ? await BatchedPairs.OpenAsync(() => PairAcrossAsync(stays1, leaving), leaving)
            : await PairAcrossAsync(stays1, leaving);
        var (e, f) = await PairAcrossAsync(leaving, leaving);
        await using var _ = new DisposeAll(a, b, c, d, e, f);
        await Pairs.AssertRelaysAsync(c, d);
        // For docs/failover.md: SOCKETPEER_LEAVE_PAIRS=n adds n more pairs across the leaving node.
        var extra = new List<TestClient>();
        await using var __ = new DisposeAll(extra);
        for (var i = 0; i < ExtraPairs; i++)
        {
            var (x, y) = await PairAcrossAsync(stays1, leaving);
            extra.AddRange([x, y]);
        }
        var timeline = new Timeline();
        var readyAtLeave = new TaskCompletionSource<HealthStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
        var socketsOpenAtHandOff = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var drain = leaving.Services.GetRequiredService<ConnectionDrain>();
        var shutdown = CoordinatedShutdown.Get(leaving.System);
        shutdown.AddTask(CoordinatedShutdown.PhaseBeforeClusterShutdown, "test-timeline", () =>
        {
            // After the sockets were drained, before the shards hand off: the server has seen every close.
            socketsOpenAtHandOff.TrySetResult(drain.Open);
            timeline.Mark("sockets drained, shards handing off");
            return Task.FromResult(Done.Instance);
        });
        shutdown.AddTask(CoordinatedShutdown.PhaseClusterLeave, "test-readiness-at-leave", async () =>
        {
            timeline.Mark("shards handed off, leaving");
            readyAtLeave.TrySetResult(await leaving.ReadinessAsync());
            return Done.Instance;
        });
        shutdown.AddTask(CoordinatedShutdown.PhaseClusterShutdown, "test-timeline", () =>
        {
            timeline.Mark("exited the cluster");
            return Task.FromResult(Done.Instance);
        });
        var removed = Removed(leaving.ClusterAddress, [stays1, stays2], timeline);

        timeline.Start();
        var stopping = leaving.StopAsync();

        foreach (var client in new[] { d, e, f }.Concat(extra.Where((_, i) => i % 2 == 1)))
            Assert.Equal((WebSocketCloseStatus)1012, await client.ClosedAsync());
        timeline.Mark("its clients got 1012");
        Assert.Equal(HealthStatus.Unhealthy, await readyAtLeave.Task.WaitAsync(RemovedWithin));
        Assert.Equal(0, await socketsOpenAtHandOff.Task.WaitAsync(RemovedWithin));
        await removed.WaitAsync(RemovedWithin);
        await stopping.WaitAsync(RemovedWithin);
        timeline.Mark("host stopped");

        await c.ExpectAsync("peer.left"); // its partner's socket was on the leaving node
        await Pairs.AssertRelaysAsync(a, b);
        await Pairs.AssertRelaysAsync(b, a);
        Assert.Equal(HealthStatus.Healthy, await stays1.ReadinessAsync());
        output.WriteLine($"{3 + ExtraPairs} sockets on the leaving node");
        output.WriteLine(timeline.ToString());
        // (When the clients *see* their 1012 is up to their receive loops; the server-side order is asserted above.)
        timeline.AssertInOrder("sockets drained, shards handing off", "shards handed off, leaving", "removed on every other node");
    }

    private static async Task<(TestClient, TestClient)> PairAcrossAsync(SocketPeerServer first, SocketPeerServer second)
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

    /// <summary>Completes when every one of <paramref name="observers"/> has seen <paramref name="node"/> removed.</summary>
    private static Task Removed(Address node, SocketPeerServer[] observers, Timeline timeline)
    {
        var removals = observers.Select(observer =>
        {
            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var cluster = Akka.Cluster.Cluster.Get(observer.System);
            var watcher = observer.System.ActorOf(Props.Create(() => new RemovalWatcher(cluster, node, seen)));
            return seen.Task;
        }).ToArray();
        return Task.WhenAll(removals).ContinueWith(_ => timeline.Mark("removed on every other node"), TaskScheduler.Default);
    }

    private sealed class RemovalWatcher : ReceiveActor
    {
        public RemovalWatcher(Akka.Cluster.Cluster cluster, Address node, TaskCompletionSource seen)
        {
            cluster.Subscribe(Self, ClusterEvent.InitialStateAsEvents, typeof(ClusterEvent.MemberRemoved));
            Receive<ClusterEvent.MemberRemoved>(m =>
            {
                if (m.Member.Address != node) return;
                seen.TrySetResult();
                Context.Stop(Self);
            });
        }
    }

    private sealed class DisposeAll(params IEnumerable<TestClient> clients) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (var client in clients) await client.DisposeAsync();
        }
    }
}

/// <summary>Named moments since <see cref="Start"/>, recorded from any thread.</summary>
internal sealed class Timeline
{
    private readonly Stopwatch _clock = new();
    private readonly List<(string What, TimeSpan At)> _marks = [];

    public void Start() => _clock.Start();

    public void Mark(string what)
    {
        lock (_marks) _marks.Add((what, _clock.Elapsed));
    }

    public TimeSpan this[string what]
    {
        get { lock (_marks) return _marks.Single(m => m.What == what).At; }
    }

    public void AssertInOrder(params string[] moments)
    {
        for (var i = 1; i < moments.Length; i++)
            Assert.True(this[moments[i - 1]] <= this[moments[i]], $"'{moments[i - 1]}' came after '{moments[i]}':\n{this}");
    }

    public override string ToString()
    {
        lock (_marks)
            return string.Join("\n", _marks.OrderBy(m => m.At).Select(m => $"{m.At.TotalMilliseconds,8:F0} ms  {m.What}"));
    }
}
