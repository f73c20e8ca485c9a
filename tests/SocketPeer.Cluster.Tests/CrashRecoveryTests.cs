using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using SocketPeer.Actors.Cluster;
using SocketPeer.Actors.Sessions;
using SocketPeer.Cluster.Tests.Infrastructure;
using SocketPeer.Gateway.Protocol;
using SocketPeer.Testing;
using Xunit.Abstractions;

namespace SocketPeer.Cluster.Tests;

/// <summary>
/// A node that vanishes without leaving (<see cref="SocketPeerServer.Crash"/>: its remoting port refuses
/// and its connections drop under a running actor system, no coordinated shutdown, no leave, no word
/// from its actors) on a three-node cluster: the others detect it, down it, and its session shards
/// serve again from a survivor. The in-process stand-in for kill -9 (docs/architecture.md section 7:
/// real processes are the chaos harness's job); the figure goes to docs/failover.md.
/// </summary>
public sealed class CrashRecoveryTests(ITestOutputHelper output)
{
    /// <summary>Detection + stable-after + removal + re-allocation is ~5 s with the default timings; this is the failure line.</summary>
    private static readonly TimeSpan RecoveredWithin = TimeSpan.FromSeconds(25);

    [Fact]
    public async Task A_crashed_nodes_session_shards_serve_again_from_a_survivor_within_seconds()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        var (survivor, crashing) = (cluster[0], cluster[2]); // cluster[0], the oldest, runs the shard coordinators
        await using var lost = await crashing.ConnectAsync();
        await using var partner = await survivor.ConnectAsync();
        var code = Codes.New();
        await lost.PairAsync(code);
        await partner.PairAsync(code);
        await lost.ExpectAsync("peer.found");
        await partner.ExpectAsync("peer.found");
        Assert.Contains(lost.SessionId, await crashing.SessionEntitiesAsync()); // its shard lives on the crashing node
        var sessions = survivor.Services.GetRequiredService<ActorRegistry>().Get<SessionRegion>();
        var connection = survivor.System.ActorOf(Props.Create(() => new BlackHole()));
        var crashed = crashing.ClusterAddress;
        var timeline = new Timeline();

        timeline.Start();
        crashing.Crash();

        var unreachable = MarkAsync(survivor, view => view.Unreachable.Contains(crashed), timeline, "unreachable on a survivor");
        var removed = MarkAsync(survivor, view => !view.Members.ContainsKey(crashed), timeline, "removed on a survivor");
        // Re-attach the lost session on the survivor, as a resume does: answered once its shard has a
        // new home. Each attempt waits for its answer (250 ms); a message the dead node swallowed is asked again.
        using var deadline = new CancellationTokenSource(RecoveredWithin);
        while (true)
        {
            try
            {
                await sessions.Ask<SessionAck>(new AttachConnection(new SessionId(lost.SessionId), connection), TimeSpan.FromMilliseconds(250));
                break;
            }
            catch (AskTimeoutException) when (!deadline.IsCancellationRequested)
            {
            }
        }
        timeline.Mark("its session shard answers from a survivor");
        await Task.WhenAll(unreachable, removed);

        output.WriteLine(timeline.ToString());
        timeline.AssertInOrder("unreachable on a survivor", "removed on a survivor", "its session shard answers from a survivor");
        // Its port refuses connections, so a survivor downed it at once (CrashedProcessDowning): it is
        // removed as soon as it is also unreachable, without the split brain resolver's StableAfter.
        var stableAfter = new ClusterTimings().StableAfter;
        Assert.True(timeline["removed on a survivor"] - timeline["unreachable on a survivor"] < stableAfter,
            $"removed more than StableAfter ({stableAfter}) after it was unreachable: not downed at once\n{timeline}");
        Assert.Contains(lost.SessionId, await survivor.SessionEntitiesAsync()); // re-homed where it was asked for
    }

    [Fact]
    public async Task A_crashed_node_is_removed_without_waiting_for_the_failure_detector()
    {
        // A failure detector that would take a minute: only the crashed process's refused port can
        // get the node removed within the test's wait (a survivor quarantines and downs it).
        await using var cluster = await TestCluster.StartAsync(3,
            ("SocketPeer:Cluster:Timings:AcceptableHeartbeatPause", "00:01:00"));
        var (survivor, other, crashing) = (cluster[0], cluster[1], cluster[2]);
        var crashed = crashing.ClusterAddress;

        crashing.Crash();

        await Task.WhenAll(
            MembershipWait.UntilAsync(survivor.System, RemovedLeavingTwoUp(crashed), RecoveredWithin, "removed on the oldest survivor, the two survivors up"),
            MembershipWait.UntilAsync(other.System, RemovedLeavingTwoUp(crashed), RecoveredWithin, "removed on the other survivor, the two survivors up"));
    }

    /// <summary>
    /// A process whose shutdown hangs with its listener still open: its connections dropped, but its
    /// port accepts for longer than the survivors' first, quick probes. Once the port refuses, the
    /// probes that follow the survivors' next reconnection attempts find it, and the node is removed
    /// still without the failure detector (a minute here).
    /// </summary>
    /// <remarks>Cluster TLS is off here: the survivors' remoting also tries to reconnect to the port, and
    /// Akka.Remote answers a TLS handshake that fails on its client side by shutting its own node down
    /// (docs/failover.md, "Known limits"); this test is about the probes.</remarks>
    [Fact]
    public async Task A_crashed_node_whose_port_accepts_for_a_while_is_removed_once_it_refuses()
    {
        await using var cluster = await TestCluster.StartAsync(3,
            ("SocketPeer:Cluster:Timings:AcceptableHeartbeatPause", "00:01:00"), ("SocketPeer:Cluster:Tls:Enabled", "false"));
        var (survivor, other, crashing) = (cluster[0], cluster[1], cluster[2]);
        var crashed = crashing.ClusterAddress;

        // Its process hangs on the way out: the transport's listener is gone, but a listener of ours
        // holds the port and accepts (and never answers) while its connections drop.
        crashing.RefuseClusterPort();
        // Open until the survivors have probed it more often than their quick probes (four each).
        var lingering = new LingeringPort(crashed.Host!, crashed.Port!.Value, probesToWaitFor: 9);
        var removedOnBoth = Task.WhenAll(
            MembershipWait.UntilAsync(survivor.System, RemovedLeavingTwoUp(crashed), RecoveredWithin, "removed on the oldest survivor, the two survivors up"),
            MembershipWait.UntilAsync(other.System, RemovedLeavingTwoUp(crashed), RecoveredWithin, "removed on the other survivor, the two survivors up"));
        crashing.CutClusterConnections();

        await lingering.Probed.WaitAsync(RecoveredWithin);
        lingering.Stop(); // the process ends: its port refuses

        await removedOnBoth;
    }

    /// <summary>
    /// Listens on a port and counts the connections that close without sending a byte: the downing's
    /// probes (bare connects), not the survivors' remoting trying to associate (which sends its handshake).
    /// </summary>
    private sealed class LingeringPort
    {
        private readonly TcpListener _listener;
        private readonly CancellationTokenSource _stop = new();
        private readonly TaskCompletionSource _probed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly int _probesToWaitFor;
        private int _probes;

        public LingeringPort(string host, int port, int probesToWaitFor)
        {
            _probesToWaitFor = probesToWaitFor;
            _listener = new TcpListener(IPAddress.Parse(host), port);
            _listener.Start();
            _ = AcceptAsync();
        }

        /// <summary>Completes once the port has been probed the number of times it was made to wait for.</summary>
        public Task Probed => _probed.Task;

        public void Stop()
        {
            _stop.Cancel();
            _listener.Stop();
        }

        private async Task AcceptAsync()
        {
            try
            {
                while (true) _ = ReadUntilClosedAsync(await _listener.AcceptSocketAsync(_stop.Token));
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
            }
        }

        private async Task ReadUntilClosedAsync(Socket socket)
        {
            using (socket)
            {
                var buffer = new byte[64];
                try
                {
                    if (await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token) != 0) return; // remoting's handshake
                }
                catch (Exception)
                {
                    return;
                }
            }
            if (Interlocked.Increment(ref _probes) >= _probesToWaitFor) _probed.TrySetResult();
        }
    }

    /// <summary>Read from the node's own membership events: <c>Cluster.State</c> may not have caught up when they arrive.</summary>
    private static Func<MembershipView, bool> RemovedLeavingTwoUp(Akka.Actor.Address crashed) =>
        view => !view.Members.ContainsKey(crashed) && view.Members.Values.Count(s => s == Akka.Cluster.MemberStatus.Up) == 2;

    private static async Task MarkAsync(SocketPeerServer node, Func<MembershipView, bool> condition, Timeline timeline, string what)
    {
        await MembershipWait.UntilAsync(node.System, condition, RecoveredWithin, what);
        timeline.Mark(what);
    }

    private sealed class BlackHole : ReceiveActor
    {
        public BlackHole() => ReceiveAny(_ => { });
    }
}

/// <summary>
/// A resumable client whose session's node crashed: it reconnects to a survivor at once, and its
/// resume is answered as soon as the crashed node is found unreachable, by a successor session on
/// the survivor (docs/failover.md, "Successor sessions"), not only after the node's removal. Crashed-
/// process downing is off here: with it, a crash whose port refuses connections is removed within a
/// second and the session is rebuilt from its token instead, so this is the path of a node that is
/// unreachable without being known dead (a silent host, a frozen process).
/// </summary>
public sealed class CrashResumeTests(ITestOutputHelper output)
{
    private static readonly (string, string)[] SharedSecret =
        [("SocketPeer:Resume:Secret", Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)(i * 11)).ToArray()))];

    [Fact]
    public async Task A_client_of_a_crashed_node_resumes_on_a_survivor_into_a_successor_and_misses_nothing()
    {
        var served = await ResumeAfterCrashAsync([.. SharedSecret, ("SocketPeer:Cluster:DownCrashedProcesses", "false")]);

        Assert.Equal(Served.BySuccessor, served);
    }

    /// <summary>
    /// The default: the crashed process is quarantined and removed within a second. Whichever answers
    /// the resume (a successor while the node counts as lost, or the session rebuilt from its token
    /// once the node is removed), the client misses nothing and the partner hears nothing.
    /// </summary>
    [Fact]
    public async Task With_crashed_process_downing_a_client_of_a_crashed_node_resumes_and_misses_nothing() =>
        await ResumeAfterCrashAsync(SharedSecret);

    private enum Served
    {
        BySuccessor,
        ByRebuiltSession,
    }

    private async Task<Served> ResumeAfterCrashAsync((string, string)[] settings)
    {
        await using var cluster = await TestCluster.StartAsync(3, settings);
        var (survivor, other, crashing) = (cluster[0], cluster[1], cluster[2]);
        var pair = await Resumable.PairAsync(crashing, survivor);
        var b = pair.B;
        await using var _ = b;
        Assert.Contains(pair.A.SessionId, await crashing.SessionEntitiesAsync());
        var timeline = new Timeline();

        timeline.Start();
        crashing.Crash();
        pair.A.Abort();
        await b.SendAsync("data", "while away");

        // The client comes straight back through another node: its first resume goes out while the
        // crashed node still counts as reachable, and is answered once it does not.
        await using var a = await other.ConnectAsync();
        await a.SendTextAsync(Resumable.Resume(pair.TokenA, seq: 0));
        string? token = null;
        JsonElement resumed;
        while ((resumed = await a.NextAsync()).GetProperty("type").GetString() != "resumed")
        {
            // A successor sends its token in session.token; a rebuilt session announces itself with session.
            Assert.Contains(resumed.GetProperty("type").GetString(), new[] { "session.token", "session" });
            token = resumed.GetProperty("data").GetProperty("token").GetString();
        }
        timeline.Mark("resumed");
        Assert.Equal("paired", resumed.GetProperty("data").GetProperty("state").GetString());
        var missed = await a.ExpectSkippingTokensAsync("data");
        Assert.Equal(("while away", 1), (missed.GetProperty("data").GetString(), missed.GetProperty("seq").GetInt32()));

        // The token it was given says which session serves it: the socket's own (a successor) or the lost one, rebuilt.
        var tokens = other.Services.GetRequiredService<ResumeTokens>();
        var servedBy = tokens.Read(token, out var problem)?.Session.Value ?? problem;
        Assert.Contains(servedBy, new[] { a.SessionId, pair.A.SessionId });

        await a.SendTextAsync("""{"type":"data","data":"back","seq":1}""");
        Assert.Equal("back", (await b.ExpectSkippingTokensAsync("data")).GetProperty("data").GetString());
        await b.SendAsync("data", "welcome back");
        Assert.Equal("welcome back", (await a.ExpectSkippingTokensAsync("data")).GetProperty("data").GetString());
        await b.ExpectNothingPendingAsync(); // no peer.left ever reached B
        output.WriteLine(timeline.ToString());
        return servedBy == a.SessionId ? Served.BySuccessor : Served.ByRebuiltSession;
    }
}
