using Akka.Actor;
using Akka.Hosting;
using SocketPeer.Actors.Cluster;
using SocketPeer.Actors.Crossings;
using SocketPeer.Actors.Diagnostics;
using SocketPeer.Actors.Events;
using SocketPeer.Actors.Mailboxes;
using SocketPeer.Actors.Placement;
using SocketPeer.Actors.Rooms;

namespace SocketPeer.Actors.Sessions;

/// <summary>Registry key of the session shard region.</summary>
public sealed class SessionRegion;

public static class SessionRegistration
{
    public const string TypeName = "session";

    /// <summary>
    /// Starts the session shard region (see docs/architecture.md section 4). With
    /// <paramref name="batching"/> on, the sessions tell partners on other nodes through this node's
    /// batchers (<see cref="CrossingRelays"/>).
    /// </summary>
    public static AkkaConfigurationBuilder AddPeerSessions(this AkkaConfigurationBuilder builder,
        ShardingSettings sharding, SessionSettings settings, SocketPeerMetrics metrics, IRoomEvents events,
        RelayBatchingSettings? batching = null) =>
        builder.AddEntityMailbox().WithSessionShardRegion<SessionRegion>(TypeName,
            (system, registry, _) =>
            {
                var crossings = batching is { Enabled: true } ? new CrossingRelays(system, batching, metrics) : null;
                return id =>
                {
                    var rooms = registry.Get<RoomRegion>();
                    var sessions = registry.Get<SessionRegion>();
                    // Not Props.Create(() => new ...), and on the entity mailbox: see RoomRegistration.
                    return new Props(EntityMailbox.Deploy, typeof(PeerSessionActor), new SessionId(id), rooms, sessions,
                        settings, metrics, events, crossings);
                };
            },
            sharding);
}
