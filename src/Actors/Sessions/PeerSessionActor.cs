using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Hosting;
using SocketPeer.Actors.Cluster;
using SocketPeer.Actors.Diagnostics;
using SocketPeer.Actors.Rooms;
using static SocketPeer.Actors.Sessions.SessionEffect;
using static SocketPeer.Actors.Sessions.SessionPhase;

namespace SocketPeer.Actors.Sessions;

/// <summary>
/// The sharded entity of one peer session: a thin shell around <see cref="SessionState"/>. It is
/// the only per-connection actor (DESIGN.md section 7: a second one doubles the memory per socket).
/// Connection messages are acknowledged with <see cref="SessionAck"/>, which is what gives the
/// gateway's inbound stream its backpressure.
/// </summary>
public sealed class PeerSessionActor : ReceiveActor, IWithTimers
{
    /// <summary>How long an entity made by a stray message waits for a connection before stopping.</summary>
    private static readonly TimeSpan UnattachedLifetime = TimeSpan.FromSeconds(30);

    private readonly IActorRef _rooms;
    private readonly IActorRef _sessions;
    private readonly SessionSettings _settings;
    private readonly SocketPeerMetrics _metrics;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private SessionState _state;
    private IActorRef _connection = ActorRefs.Nobody;
    private bool _stopping;

    public ITimerScheduler Timers { get; set; } = null!;

    public PeerSessionActor(SessionId id, IActorRef rooms, IActorRef sessions, SessionSettings settings,
        SocketPeerMetrics metrics)
    {
        _rooms = rooms;
        _sessions = sessions;
        _settings = settings;
        _metrics = metrics;
        _state = SessionState.New(id);
        Context.SetReceiveTimeout(UnattachedLifetime);

        Receive<AttachConnection>(attach =>
        {
            _connection = attach.Connection;
            Context.SetReceiveTimeout(null);
            FromConnection(_state.Handle(attach));
        });
        Receive<ClientPair>(m => FromConnection(_state.Handle(m)));
        Receive<ClientLeave>(m => FromConnection(_state.Handle(m)));
        Receive<ClientRelay>(m => FromConnection(_state.Handle(m)));
        Receive<ClientRtcStatus>(m => FromConnection(_state.Handle(m)));
        Receive<ConnectionClosed>(m => Apply(_state.Handle(m))); // the stream is done: nobody waits for an ack

        Receive<WaitingForPeer>(m => Apply(_state.Handle(m)));
        Receive<PeerFound>(m => Apply(_state.Handle(m)));
        Receive<RoomBusy>(m => Apply(_state.Handle(m)));
        Receive<PartnerLeft>(m => Apply(_state.Handle(m)));
        Receive<PartnerRelay>(m => Apply(_state.Handle(m)));
        Receive<PeerTimeoutElapsed>(m => Apply(_state.PeerTimedOut(m.Code)));
        Receive<ReceiveTimeout>(_ => Apply(new SessionTransition(_state, [Stop.Instance])));
    }

    private void FromConnection(SessionTransition transition)
    {
        Apply(transition);
        Sender.Tell(SessionAck.Instance);
    }

    private void Apply(SessionTransition transition)
    {
        var before = _state;
        _state = transition.State;
        Account(before, _state);
        foreach (var effect in transition.Effects)
        {
            switch (effect)
            {
                case ToClient m:
                    // Each pair has exactly one initiator, so counting its peer.found counts pairs once.
                    if (m.Message is PeerFoundNotice { Initiator: true }) _metrics.PairFormed();
                    _connection.Tell(m.Message);
                    break;
                case ToRoom m: _rooms.Tell(m.Message); break;
                case ToPartner m: _sessions.Tell(m.Message); break;
                case Stop: BeginStop(); break;
            }
        }
    }

    /// <summary>Keeps the gauges and the peer timeout in step with phase changes.</summary>
    private void Account(SessionState before, SessionState after)
    {
        if (before.Phase is Waiting != after.Phase is Waiting)
        {
            _metrics.Waiting(after.Phase is Waiting ? 1 : -1);
            if (after.Phase is Waiting w)
                Timers.StartSingleTimer(nameof(PeerTimeoutElapsed), new PeerTimeoutElapsed(w.Code), _settings.PeerTimeout);
            else
                Timers.Cancel(nameof(PeerTimeoutElapsed));
        }
        if (before.Phase is Paired != after.Phase is Paired)
            _metrics.Paired(after.Phase is Paired ? 1 : -1);
        if (before.Path == RtcPath.Upgraded != (after.Path == RtcPath.Upgraded))
            _metrics.Upgraded(after.Path == RtcPath.Upgraded ? 1 : -1);
    }

    private void BeginStop()
    {
        if (_stopping) return;
        _stopping = true;
        _log.Debug("Session {0} ends", _state.Id);
        Context.Parent.Tell(new Passivate(PoisonPill.Instance));
    }

    protected override void PostStop()
    {
        // Gauges must not count a session that is gone (a stop without ConnectionClosed: shutdown, hand-off).
        Account(_state, _state with { Phase = new Idle(), Path = null });
    }

    /// <summary>The peer-timeout timer's message (local to this actor).</summary>
    private sealed record PeerTimeoutElapsed(PairCode Code);
}

/// <summary>What a session needs to know from the host's options.</summary>
public sealed record SessionSettings(TimeSpan PeerTimeout);

/// <summary>Registry key of the session shard region.</summary>
public sealed class SessionRegion;

/// <summary>Routes <see cref="IWithSessionId"/> messages; shard ids come from a stable hash of the id.</summary>
public sealed class SessionMessageExtractor(int maxShards) : HashCodeMessageExtractor(maxShards)
{
    public override string? EntityId(object message) => message is IWithSessionId m ? m.Session.Value : null;
}

public static class SessionRegistration
{
    public const string TypeName = "session";

    /// <summary>Starts the session shard region (see DESIGN.md section 4).</summary>
    public static AkkaConfigurationBuilder AddPeerSessions(this AkkaConfigurationBuilder builder,
        ShardingSettings sharding, SessionSettings settings, SocketPeerMetrics metrics) =>
        builder.WithSessionShardRegion<SessionRegion>(TypeName,
            (_, registry, _) => id =>
            {
                var rooms = registry.Get<RoomRegion>();
                var sessions = registry.Get<SessionRegion>();
                // Not Props.Create(() => new ...): see RoomRegistration.
                return Props.Create(typeof(PeerSessionActor), new SessionId(id), rooms, sessions, settings, metrics);
            },
            sharding);
}
