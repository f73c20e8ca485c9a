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
/// A node that vanishes without leaving (its remoting transport shut down under a running actor
/// system: no coordinated shutdown, no leave, no word from its actors) on a three-node cluster: the others detect it, the split brain resolver downs it, and
/// its session shards serve again from a survivor. The in-process stand-in for kill -9 (docs/architecture.md section 7:
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
        // Its remoting transport goes away under it: no leave, no goodbye from its actors (stopping the
        // actor system would tell every remote watcher its shard regions stopped, a clean exit).
        await ((Akka.Remote.RemoteActorRefProvider)((ExtendedActorSystem)crashing.System).Provider).Transport.Shutdown();

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

        await ((Akka.Remote.RemoteActorRefProvider)((ExtendedActorSystem)crashing.System).Provider).Transport.Shutdown();

        await Task.WhenAll(
            MembershipWait.UntilAsync(survivor.System, view => !view.Members.ContainsKey(crashed), RecoveredWithin, "removed on the oldest survivor"),
            MembershipWait.UntilAsync(other.System, view => !view.Members.ContainsKey(crashed), RecoveredWithin, "removed on the other survivor"));
        Assert.Equal(2, Akka.Cluster.Cluster.Get(survivor.System).State.Members.Count(m => m.Status == Akka.Cluster.MemberStatus.Up));
    }

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
        await ((Akka.Remote.RemoteActorRefProvider)((ExtendedActorSystem)crashing.System).Provider).Transport.Shutdown();
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
