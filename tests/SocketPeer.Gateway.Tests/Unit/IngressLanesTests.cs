using Akka.Actor;
using Microsoft.Extensions.Logging.Abstractions;
using SocketPeer.Actors.Sessions;
using SocketPeer.Gateway.Connections;
using SocketPeer.Gateway.Ingress;
using SocketPeer.Gateway.Options;
using SocketPeer.Gateway.Protocol;

namespace SocketPeer.Gateway.Tests.Unit;

/// <summary>
/// The lanes themselves, on a plain actor system: order per socket, many sockets over few lanes, a
/// session that stops acknowledging holds only its own socket, a fault stays with its socket, and the
/// stop takes nothing more in.
/// </summary>
public sealed class IngressLanesTests : IAsyncLifetime
{
    private const int Window = 8;
    private readonly ActorSystem _system = ActorSystem.Create("ingress-lanes-tests");

    [Fact]
    public async Task A_socket_s_messages_arrive_in_order_through_its_lane()
    {
        var lanes = Started(lanes: 2);
        var session = new RecordingRef("session");
        var socket = Connect(lanes, "socket", session);

        for (var i = 0; i < 200; i++)
            Assert.True(await socket.OfferAsync(Relay("socket", i), CancellationToken.None));

        Assert.Equal(Enumerable.Range(0, 200), (await session.NextAsync(200)).Select(Seq));
    }

    [Fact]
    public async Task Many_sockets_across_the_lanes_are_all_served_each_in_order()
    {
        var lanes = Started(lanes: 3);
        var session = new RecordingRef("session");
        var sockets = Enumerable.Range(0, 30).Select(i => ($"socket-{i}", Connect(lanes, $"socket-{i}", session))).ToList();

        await Task.WhenAll(sockets.Select(async s =>
        {
            for (var i = 0; i < 20; i++)
                Assert.True(await s.Item2.OfferAsync(Relay(s.Item1, i), CancellationToken.None));
        }));

        var told = (await session.NextAsync(30 * 20)).Cast<ClientRelay>().ToList();
        foreach (var (id, _) in sockets)
            Assert.Equal(Enumerable.Range(0, 20), told.Where(m => m.Session.Value == id).Select(m => (int)m.Seq));
        Assert.Equal(3, sockets.Select(s => lanes.For(s.Item1)).Distinct().Count());
    }

    [Fact]
    public async Task A_session_that_stops_acknowledging_holds_its_own_socket_not_its_lane()
    {
        var lanes = Started(lanes: 1);
        var handingOff = new RecordingRef("handing-off", acknowledges: false);
        var live = new RecordingRef("live");
        var stuck = Connect(lanes, "stuck", handingOff);
        var other = Connect(lanes, "other", live);

        for (var i = 0; i < Window; i++)
            Assert.True(await stuck.OfferAsync(Relay("stuck", i), CancellationToken.None));
        var waitingForWindow = stuck.OfferAsync(Relay("stuck", Window), CancellationToken.None).AsTask();

        for (var i = 0; i < 100; i++)
            Assert.True(await other.OfferAsync(Relay("other", i), CancellationToken.None));
        Assert.Equal(Enumerable.Range(0, 100), (await live.NextAsync(100)).Select(Seq));
        Assert.Equal(Window, (await handingOff.NextAsync(Window)).Count);
        Assert.False(waitingForWindow.IsCompleted);

        stuck.Outbox.Tell(SessionAck.Instance); // the session answers again
        Assert.True(await waitingForWindow.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(Window, Seq((await handingOff.NextAsync(1))[0]));
    }

    [Fact]
    public async Task A_message_that_faults_in_a_lane_closes_its_socket_with_1011_and_the_lane_goes_on()
    {
        var lanes = Started(lanes: 1);
        var faulty = Connect(lanes, "faulty", new RecordingRef("broken", throws: true));
        var live = new RecordingRef("live");
        var other = Connect(lanes, "other", live);

        Assert.True(await faulty.OfferAsync(Relay("faulty", 0), CancellationToken.None));
        Assert.True(await other.OfferAsync(Relay("other", 0), CancellationToken.None));
        Assert.True(await faulty.OfferAsync(Relay("faulty", 1), CancellationToken.None));
        Assert.True(await other.OfferAsync(Relay("other", 1), CancellationToken.None));

        Assert.Equal([0, 1], (await live.NextAsync(2)).Select(Seq));
        Assert.True(faulty.Failed);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var close = Assert.IsType<CloseRequest>(await faulty.Outbox.Queue.ReadAsync(cancel.Token));
        Assert.Equal(CloseCodes.InternalError, close.Code);
        Assert.False(faulty.Outbox.Queue.TryRead(out _)); // its second message was dropped, not retried
    }

    [Fact]
    public async Task A_lane_whose_graph_fails_is_materialized_again_and_serves_its_sockets()
    {
        var lanes = Started(lanes: 1);
        var session = new RecordingRef("session");
        var socket = Connect(lanes, "socket", session);
        Assert.True(await socket.OfferAsync(Relay("socket", 0), CancellationToken.None));
        Assert.Equal(0, Seq((await session.NextAsync(1))[0]));

        lanes.All[0].FailGraph(new InvalidOperationException("a stage failed"));
        for (var i = 1; i <= 20; i++)
            Assert.True(await socket.OfferAsync(Relay("socket", i), CancellationToken.None));

        Assert.Equal(Enumerable.Range(1, 20), (await session.NextAsync(20)).Select(Seq));
        Assert.False(lanes.Completion.IsCompleted);
    }

    [Fact]
    public async Task Once_stopped_nothing_more_is_taken_in_and_the_sockets_last_words_still_reach_their_sessions()
    {
        var lanes = Started(lanes: 2);
        var session = new RecordingRef("session");
        var socket = Connect(lanes, "socket", session);
        Assert.True(await socket.OfferAsync(Relay("socket", 0), CancellationToken.None));
        Assert.Equal(0, Seq((await session.NextAsync(1))[0]));

        lanes.Stop();

        Assert.True(lanes.Stopped);
        Assert.False(await socket.OfferAsync(Relay("socket", 1), CancellationToken.None));
        await socket.FinishAsync(new ConnectionClosed(new SessionId("socket")));
        Assert.IsType<ConnectionClosed>((await session.NextAsync(1))[0]);
        await lanes.Completion.WaitAsync(TimeSpan.FromSeconds(10)); // the kill switch ended every graph
        Assert.False(session.Told.TryRead(out _));
    }

    private IngressLanes Started(int lanes)
    {
        var options = Microsoft.Extensions.Options.Options.Create(new SocketPeerOptions { IngressLanes = lanes, IngressLaneCapacity = 16 });
        var ingress = new IngressLanes(options, NullLogger<IngressLanes>.Instance);
        ingress.Start(_system);
        return ingress;
    }

    private ConnectionIngress Connect(IngressLanes lanes, string key, IActorRef region) =>
        new(lanes.For(key), new ConnectionOutbox(_system, capacity: 16, inboundWindow: Window), new ConnectionSession(new SessionId(key), region));

    private static ClientRelay Relay(string session, int seq) => new(new SessionId(session), RelayKind.Data, [], seq);

    private static int Seq(object message) => (int)((ClientRelay)message).Seq;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _system.Terminate();
}
