using Akka.Actor;
using SocketPeer.Actors.Sessions;
using SocketPeer.Gateway.Connections;

namespace SocketPeer.Gateway.Tests.Unit;

/// <summary>
/// The connection's actor-less ref: sessions reach it by its path (as a remote session would), what
/// is told to it queues in order up to its capacity, and acknowledgements open the inbound window.
/// </summary>
public sealed class ConnectionOutboxTests : IAsyncLifetime
{
    private readonly ActorSystem _system = ActorSystem.Create("outbox-tests");

    [Fact]
    public void Its_path_resolves_to_it_until_it_stops()
    {
        var outbox = new ConnectionOutbox(_system, capacity: 4, inboundWindow: 1);
        var path = Akka.Serialization.Serialization.SerializedActorPath(outbox);

        var resolved = ((ExtendedActorSystem)_system).Provider.ResolveActorRef(path);
        resolved.Tell(PeerLeftNotice.Instance);
        outbox.Stop();

        Assert.Same(outbox, resolved);
        Assert.True(outbox.Queue.TryRead(out var message));
        Assert.Same(PeerLeftNotice.Instance, message);
        Assert.NotSame(outbox, ((ExtendedActorSystem)_system).Provider.ResolveActorRef(path));
    }

    [Fact]
    public void A_full_queue_overflows_and_ends_the_outbox()
    {
        var outbox = new ConnectionOutbox(_system, capacity: 2, inboundWindow: 1);

        outbox.Tell(PeerLeftNotice.Instance);
        outbox.Tell(BusyNotice.Instance);
        Assert.False(outbox.Overflowed);
        outbox.Tell(PeerLeftNotice.Instance);

        Assert.True(outbox.Overflowed);
        Assert.True(outbox.Queue.TryRead(out _));
        Assert.True(outbox.Queue.TryRead(out _));
        Assert.False(outbox.Queue.TryRead(out _));
        Assert.True(outbox.Queue.Completion.IsCompleted);
    }

    [Fact]
    public void What_is_told_after_the_end_is_dropped_without_overflowing()
    {
        var outbox = new ConnectionOutbox(_system, capacity: 1, inboundWindow: 1);

        outbox.Tell(PoisonPill.Instance);
        outbox.Tell(PeerLeftNotice.Instance);

        Assert.False(outbox.Overflowed);
        Assert.False(outbox.Queue.TryRead(out _));
    }

    [Fact]
    public async Task An_acknowledgement_opens_the_window_and_is_not_queued()
    {
        var outbox = new ConnectionOutbox(_system, capacity: 4, inboundWindow: 1);
        await outbox.WaitForWindowAsync(CancellationToken.None);

        var next = outbox.WaitForWindowAsync(CancellationToken.None).AsTask();
        Assert.False(next.IsCompleted);
        outbox.Tell(SessionAck.Instance);

        await next.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(outbox.Queue.TryRead(out _));
    }

    [Fact]
    public void Queued_payload_bytes_past_the_bound_overflow_it()
    {
        var outbox = new ConnectionOutbox(_system, capacity: 100, inboundWindow: 1, maxBytes: 150_000);
        var large = new RelayedNotice(RelayKind.Data, new byte[60_000]);

        outbox.Tell(large);
        outbox.Tell(large);
        Assert.False(outbox.Overflowed);
        outbox.Tell(large);

        Assert.True(outbox.Overflowed);
    }

    [Fact]
    public void Taking_a_message_frees_its_bytes()
    {
        var outbox = new ConnectionOutbox(_system, capacity: 100, inboundWindow: 1, maxBytes: 150_000);
        var large = new RelayedNotice(RelayKind.Data, new byte[60_000]);

        outbox.Tell(large);
        outbox.Tell(large);
        Assert.True(outbox.TryTake(out _));
        outbox.Tell(large);

        Assert.False(outbox.Overflowed);
        Assert.True(outbox.QueuedBytes < 150_000);
    }

    [Fact]
    public async Task In_flight_counts_messages_told_not_places_taken_in_the_window()
    {
        var outbox = new ConnectionOutbox(_system, capacity: 4, inboundWindow: 8);
        await outbox.WaitForWindowAsync(CancellationToken.None); // waiting in its ingress lane
        Assert.True(outbox.NothingInFlight);

        outbox.Told();
        Assert.False(outbox.NothingInFlight);
        outbox.Tell(SessionAck.Instance);

        Assert.True(outbox.NothingInFlight);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _system.Terminate();
}
