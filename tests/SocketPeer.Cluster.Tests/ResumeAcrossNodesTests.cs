using System.Net.WebSockets;
using SocketPeer.Testing;

namespace SocketPeer.Cluster.Tests;

/// <summary>
/// Resume across nodes (docs/protocol.md, Resume; docs/architecture.md section 5): a token from one node is
/// taken by another, and a socket whose session lives on a node that leaves is asked to resume.
/// </summary>
public sealed class ResumeAcrossNodesTests
{
    /// <summary>Every node signs and checks tokens with the same secret, as deploy/k8s sets it.</summary>
    private static readonly (string, string)[] SharedSecret =
        [("SocketPeer:Resume:Secret", Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray()))];

    [Fact]
    public async Task A_client_resumes_on_another_node_and_when_its_sessions_node_leaves_it_resumes_again()
    {
        await using var cluster = await TestCluster.StartAsync(2, SharedSecret);
        var (first, second) = (cluster[0], cluster[1]);
        var pair = await Resumable.PairAsync(first, second);
        var b = pair.B;
        await using var _ = b;

        // The network drops A's socket; B keeps sending; A comes back through the other node.
        pair.A.Abort();
        await b.SendAsync("data", "while away");
        await using var a = await second.ConnectAsync();
        await a.SendTextAsync(Resumable.Resume(pair.TokenA, seq: 0));
        var session = (await a.ExpectAsync("session")).GetProperty("data");
        Assert.Equal(pair.A.SessionId, session.GetProperty("id").GetString());
        Assert.Equal("paired", (await a.ExpectAsync("resumed")).GetProperty("data").GetProperty("state").GetString());
        var missed = await a.ExpectAsync("data");
        Assert.Equal(("while away", 1), (missed.GetProperty("data").GetString(), missed.GetProperty("seq").GetInt32()));

        // A's session still lives on the first node. That node leaves: A's socket (on the second
        // node) is closed with 1012, and A resumes; its session is rebuilt from its token.
        var token = session.GetProperty("token").GetString();
        await first.StopAsync();
        Assert.Equal((WebSocketCloseStatus)1012, await a.ClosedAsync());
        await using var again = await second.ConnectAsync();
        await again.SendTextAsync(Resumable.Resume(token!, seq: 1));
        await again.ExpectAsync("session");
        var answer = await again.NextAsync();
        Assert.True(answer.GetProperty("type").GetString() == "resumed", answer.GetRawText());
        Assert.Equal("paired", answer.GetProperty("data").GetProperty("state").GetString());

        await again.SendTextAsync("""{"type":"data","data":"back","seq":1}""");
        Assert.Equal("back", (await b.ExpectSkippingTokensAsync("data")).GetProperty("data").GetString());
        await b.SendAsync("data", "welcome back");
        Assert.Equal("welcome back", (await again.ExpectSkippingTokensAsync("data")).GetProperty("data").GetString());
        await b.ExpectNothingPendingAsync(); // no peer.left ever reached B
    }
}

/// <summary>A node stopped gracefully (a rolling update): its resumable clients carry on elsewhere.</summary>
public sealed class ResumeAfterGracefulStopTests
{
    private static readonly (string, string)[] SharedSecret =
        [("SocketPeer:Resume:Secret", Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)(i * 5)).ToArray()))];

    [Fact]
    public async Task Clients_of_a_stopping_node_resume_on_another_and_miss_nothing()
    {
        await using var cluster = await TestCluster.StartAsync(3, SharedSecret);
        var (stopping, stays) = (cluster[2], cluster[0]);
        var pair = await Resumable.PairAsync(stopping, stays);
        var (a, b) = pair;
        await using var _ = b;
        await b.SendAsync("data", "before");
        Assert.Equal(1, (await a.ExpectAsync("data")).GetProperty("seq").GetInt32());

        var stopped = stopping.StopAsync();
        Assert.Equal((WebSocketCloseStatus)1012, await a.ClosedAsync());
        await b.SendAsync("data", "during the stop");
        await using var again = await stays.ConnectAsync();
        await again.SendTextAsync(Resumable.Resume(pair.TokenA, seq: 1));

        // Answered by the session, or by a successor if the stopping node declined (it is leaving).
        var resumed = (await again.ExpectResumedAsync()).GetProperty("data");
        Assert.Equal("paired", resumed.GetProperty("state").GetString());
        var missed = await again.ExpectSkippingTokensAsync("data");
        Assert.Equal(("during the stop", 2), (missed.GetProperty("data").GetString(), missed.GetProperty("seq").GetInt32()));
        await stopped;
        await again.SendTextAsync("""{"type":"data","data":"after","seq":1}""");
        Assert.Equal("after", (await b.ExpectSkippingTokensAsync("data")).GetProperty("data").GetString());
        await b.SendAsync("data", "still here");
        Assert.Equal("still here", (await again.ExpectSkippingTokensAsync("data")).GetProperty("data").GetString());
    }
}
