using SocketPeer.Testing;
using Xunit.Abstractions;

namespace SocketPeer.Cluster.Tests;

/// <summary>
/// Both clients of a resuming pair were on the node that vanishes. Neither session can be succeeded
/// (a successor needs a live partner to re-point), so each resume waits until the dead node is
/// removed and the sessions are rebuilt from their tokens, and then the two confirm each other. A
/// lost connection marks the node as lost for both questions alike (docs/failover.md, "Successor
/// sessions", step 4): two successors made at once could never find each other.
/// </summary>
public sealed class BothEndsCrashTests(ITestOutputHelper output)
{
    private static readonly (string, string)[] SharedSecret =
        [("SocketPeer:Resume:Secret", Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray()))];

    [Fact]
    public async Task A_pair_whose_two_clients_were_on_the_crashed_node_resumes_on_the_survivors_and_misses_nothing()
    {
        await using var cluster = await TestCluster.StartAsync(3, SharedSecret);
        var (first, second, crashing) = (cluster[0], cluster[1], cluster[2]);
        var pair = await Resumable.PairAsync(crashing, crashing);
        await pair.A.SendTextAsync("""{"type":"data","data":"before","seq":1}""");
        Assert.Equal("before", (await pair.B.ExpectSkippingTokensAsync("data")).GetProperty("data").GetString());
        var timeline = new Timeline();

        timeline.Start();
        crashing.Crash();
        pair.A.Abort();
        pair.B.Abort();

        await using var a = await first.ConnectAsync();
        await using var b = await second.ConnectAsync();
        await a.SendTextAsync(Resumable.Resume(pair.TokenA, seq: 0));
        await b.SendTextAsync(Resumable.Resume(pair.TokenB, seq: 1));
        var resumedA = await a.ExpectResumedAsync();
        var resumedB = await b.ExpectResumedAsync();
        timeline.Mark("both resumed");
        Assert.Equal("paired", resumedA.GetProperty("data").GetProperty("state").GetString());
        Assert.Equal("paired", resumedB.GetProperty("data").GetProperty("state").GetString());

        await a.SendTextAsync("""{"type":"data","data":"a back","seq":2}""");
        Assert.Equal("a back", (await b.ExpectSkippingTokensAsync("data")).GetProperty("data").GetString());
        await b.SendTextAsync("""{"type":"data","data":"b back","seq":1}""");
        Assert.Equal("b back", (await a.ExpectSkippingTokensAsync("data")).GetProperty("data").GetString());
        output.WriteLine(timeline.ToString());
    }
}
