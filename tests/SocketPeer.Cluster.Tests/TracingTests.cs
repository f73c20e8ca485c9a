using SocketPeer.Cluster.Tests.Infrastructure;
using SocketPeer.Testing;
using static SocketPeer.Actors.Diagnostics.SocketPeerTracing;

namespace SocketPeer.Cluster.Tests;

/// <summary>
/// Distributed tracing (docs/operations.md, "Tracing"): a pairing across two nodes is one trace,
/// rooted at the room's span and linked to both sockets' traces; a resume is a trace of its own;
/// relaying starts no span.
/// </summary>
public sealed class TracingTests(TwoNodeResumableFixture fixture) : IClassFixture<TwoNodeResumableFixture>, IDisposable
{
    private readonly SpanRecorder _spans = new();

    private TestCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task A_pairing_across_two_nodes_is_one_trace_rooted_at_the_room_and_linked_to_both_sockets()
    {
        var code = Codes.New();
        await using var a = await Cluster[0].ConnectAsync();
        await using var b = await Cluster[1].ConnectAsync();
        await a.PairAsync(code);
        await b.PairAsync(code);
        await a.ExpectAsync("peer.found");
        await b.ExpectAsync("peer.found");

        var foundA = await _spans.EndedAsync(SessionPeerFound, a.SessionId);
        var foundB = await _spans.EndedAsync(SessionPeerFound, b.SessionId);
        var room = await _spans.UntilAsync(() => _spans.Stopped.FirstOrDefault(s => s.OperationName == RoomPair && s.TraceId == foundA.TraceId));

        // One trace, with spans from both nodes, under the room's span.
        Assert.Equal(foundA.TraceId, foundB.TraceId);
        Assert.Equal(default, room.ParentSpanId);
        Assert.Equal(room.SpanId, foundA.ParentSpanId);
        Assert.Equal(room.SpanId, foundB.ParentSpanId);
        Assert.Equal(Cluster[0].ClusterAddress.ToString(), SpanRecorder.Node(foundA));
        Assert.Equal(Cluster[1].ClusterAddress.ToString(), SpanRecorder.Node(foundB));
        Assert.Contains(SpanRecorder.Node(room), Cluster.Nodes.Select(n => n.ClusterAddress.ToString()));

        // Each socket's trace: its connection span, its pair (gateway), its join (session); the room links to the joins.
        foreach (var (client, node) in new[] { (a, Cluster[0]), (b, Cluster[1]) })
        {
            var connection = _spans.Started.Single(s => s.OperationName == Connection && SpanRecorder.Session(s) == client.SessionId);
            var pair = await _spans.EndedAsync(Pair, client.SessionId);
            var join = await _spans.EndedAsync(SessionJoin, client.SessionId);
            Assert.Equal(connection.SpanId, pair.ParentSpanId);
            Assert.Equal(pair.SpanId, join.ParentSpanId);
            Assert.Equal(connection.TraceId, join.TraceId);
            Assert.NotEqual(room.TraceId, connection.TraceId);
            Assert.Equal(node.ClusterAddress.ToString(), SpanRecorder.Node(pair));
            Assert.Contains(room.Links, link => link.Context.TraceId == join.TraceId && link.Context.SpanId == join.SpanId);
        }
        Assert.Equal(2, room.Links.Count());
    }

    [Fact]
    public async Task A_resume_on_another_node_is_a_trace_of_its_own_that_reaches_both_sessions()
    {
        var pair = await Resumable.PairAsync(Cluster[0], Cluster[1]);
        await using var b = pair.B;

        pair.A.Abort();
        await pair.A.DisposeAsync();
        await using var a = await Cluster[1].ConnectAsync();
        await a.SendTextAsync(Resumable.Resume(pair.TokenA, seq: 0));
        await a.ExpectResumedAsync();

        var resume = await _spans.UntilAsync(() => _spans.Stopped.FirstOrDefault(s =>
            s.OperationName == Resume && s.GetTagItem(ResumedTag) as string == pair.A.SessionId));
        var taken = await _spans.EndedAsync(SessionResume, pair.A.SessionId);
        var partner = await _spans.EndedAsync(SessionPartnerResumed, b.SessionId);

        Assert.Equal(default, resume.ParentSpanId);
        Assert.Equal(Cluster[1].ClusterAddress.ToString(), SpanRecorder.Node(resume));
        Assert.Equal((resume.TraceId, resume.SpanId), (taken.TraceId, taken.ParentSpanId));
        Assert.Equal(Cluster[0].ClusterAddress.ToString(), SpanRecorder.Node(taken)); // the session lives where it began
        Assert.Equal("taken", taken.GetTagItem(OutcomeTag));
        Assert.Equal((resume.TraceId, taken.SpanId), (partner.TraceId, partner.ParentSpanId));
        Assert.Equal(Cluster[1].ClusterAddress.ToString(), SpanRecorder.Node(partner));

        // Linked to the new socket's own span.
        var connection = _spans.Started.Single(s => s.OperationName == Connection && SpanRecorder.Session(s) == a.SessionId);
        Assert.Contains(resume.Links, link => link.Context.SpanId == connection.SpanId);
    }

    [Fact]
    public async Task Relaying_starts_no_span()
    {
        const int Messages = 50;
        var code = Codes.New();
        await using var a = await Cluster[0].ConnectAsync();
        await using var b = await Cluster[1].ConnectAsync();
        await a.PairAsync(code);
        await b.PairAsync(code);
        await a.ExpectAsync("peer.found");
        await b.ExpectAsync("peer.found");
        await _spans.EndedAsync(SessionPeerFound, a.SessionId);
        await _spans.EndedAsync(SessionPeerFound, b.SessionId);
        // Spans of other sessions (an earlier test's, ending after their grace period) are not this relay's.
        bool Ours(System.Diagnostics.Activity span) => SpanRecorder.Session(span) is not { } session || session == a.SessionId || session == b.SessionId;
        var before = _spans.Started.Count(Ours);

        for (var i = 0; i < Messages; i++)
        {
            await a.SendAsync("data", i);
            await b.SendAsync("rtc.signal", new { n = i });
        }
        for (var i = 0; i < Messages; i++)
        {
            Assert.Equal(i, (await b.ExpectAsync("data")).GetProperty("data").GetInt32());
            Assert.Equal(i, (await a.ExpectAsync("rtc.signal")).GetProperty("data").GetProperty("n").GetInt32());
        }

        Assert.Equal(before, _spans.Started.Count(Ours));
    }

    public void Dispose() => _spans.Dispose();
}
