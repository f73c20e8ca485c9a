using Akka.Actor;
using Akka.Hosting;
using SocketPeer.Actors.Cluster;
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

    /// <summary>Starts the session shard region (see docs/architecture.md section 4).</summary>
    public static AkkaConfigurationBuilder AddPeerSessions(this AkkaConfigurationBuilder builder,
        ShardingSettings sharding, SessionSettings settings, SocketPeerMetrics metrics, IRoomEvents events) =>
        builder.AddEntityMailbox().WithSessionShardRegion<SessionRegion>(TypeName,
            (_, registry, _) => id =>
            {
                var rooms = registry.Get<RoomRegion>();
                var sessions = registry.Get<SessionRegion>();
                // Not Props.Create(() => new ...), and on the entity mailbox: see RoomRegistration.
                return new Props(EntityMailbox.Deploy, typeof(PeerSessionActor), new SessionId(id), rooms, sessions,
                    settings, metrics, events);
            },
            sharding);
}
