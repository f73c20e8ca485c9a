using Akka.Actor;
using Akka.Hosting;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using SocketPeer.Actors.Diagnostics;
using SocketPeer.Actors.Sessions;
using Xunit.Abstractions;

namespace SocketPeer.Actors.Tests.Infrastructure;

/// <summary>
/// A TestKit on the actor system of a real one-node cluster, one per test. (Akka.Hosting.TestKit
/// 1.5.73 is built on xUnit v3 and does not load next to xUnit 2, hence this small stand-in.)
/// </summary>
public abstract class SocketPeerNodeTestKit : TestKit
{
    /// <summary>Generous: the first message waits for the cluster to form and a shard to be allocated.</summary>
    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private readonly SocketPeerNode _node;

    private protected SocketPeerNodeTestKit(SocketPeerNode node, ITestOutputHelper output) : base(node.System, output) =>
        _node = node;

    protected SocketPeerMetrics Metrics => _node.Metrics;

    /// <summary>The session shard region, as the gateway gets it.</summary>
    protected IActorRef Sessions => ActorRegistry.For(Sys).Get<SessionRegion>();

    /// <summary>Attaches a probe as the connection of a new session, as the gateway does at connect.</summary>
    protected async Task<(SessionId Id, TestProbe Connection)> Connect()
    {
        var id = SessionId.New();
        var connection = CreateTestProbe();
        await Sessions.Ask<SessionAck>(new AttachConnection(id, connection.Ref), Timeout);
        connection.ExpectMsg<SessionStarted>(s => s.Id == id && s.Token is not null, Timeout);
        connection.ExpectMsg<SessionLocation>(l => l.Id == id, Timeout); // the gateway tells it directly from now on
        return (id, connection);
    }

    /// <summary>Sends a connection message and waits for its acknowledgement.</summary>
    protected Task Send(IWithSessionId message) => Sessions.Ask<SessionAck>(message, Timeout);

    /// <summary>
    /// Stops the session's entity behind sharding's back, as its node's loss would, and waits until it
    /// is gone and its shard has queued its own <see cref="Terminated"/>: until then the shard would
    /// still route the next message to the dead entity, and that message would be lost.
    /// </summary>
    protected async Task Kill(SessionId id)
    {
        var entity = await Sys.ActorSelection($"/system/sharding/{SessionRegistration.TypeName}/*/{id.Value}").ResolveOne(Timeout);
        Watch(entity);
        entity.Tell(PoisonPill.Instance);
        ExpectTerminated(entity, Timeout);
        // The dying entity notified its parent, the shard, before this test (Akka tells the parent
        // first). The shard turns that notice into a Terminated at the back of its mailbox when it
        // next runs, and it runs before it answers this Identify. So from the answer on, whatever
        // this test sends the shard is queued behind that Terminated.
        await Sys.ActorSelection(entity.Path.Parent).Ask<ActorIdentity>(new Identify(null), Timeout);
    }

    protected override void AfterAll()
    {
        _node.Dispose();
        base.AfterAll();
    }
}
