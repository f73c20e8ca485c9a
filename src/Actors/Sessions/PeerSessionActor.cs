using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using SocketPeer.Actors.Cluster;
using SocketPeer.Actors.Crossings;
using SocketPeer.Actors.Diagnostics;
using SocketPeer.Actors.Events;
using SocketPeer.Actors.Placement;
using SocketPeer.Actors.Rooms;
using static SocketPeer.Actors.Sessions.SessionEffect;
using static SocketPeer.Actors.Sessions.SessionPhase;

namespace SocketPeer.Actors.Sessions;

/// <summary>
/// The sharded entity of one peer session: a thin shell around <see cref="SessionState"/>. It is
/// the only per-connection actor (docs/architecture.md section 7: a second one doubles the memory per socket).
/// Connection messages are acknowledged with <see cref="SessionAck"/>, which is what gives the
/// gateway's inbound side its backpressure.
/// </summary>
public sealed class PeerSessionActor : UntypedActor, IWithTimers
{
    private readonly IActorRef _rooms;
    private readonly IActorRef _sessions;
    private readonly SessionSettings _settings;
    private readonly SocketPeerMetrics _metrics;
    private readonly IRoomEvents _events;
    private readonly CrossingRelays? _crossings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private SessionState _state;
    private IActorRef _connection = ActorRefs.Nobody;
    private SessionLinks _links = SessionLinks.None;
    private bool _stopping;

    /// <summary>
    /// When this incarnation saw its current pairing form, for the duration of <c>pair.ended</c>. Not in
    /// the state (it is pure) nor in the token: a session rebuilt after its node crashed does not know it.
    /// </summary>
    private DateTimeOffset? _pairedSince;

    public ITimerScheduler Timers { get; set; } = null!;

    public PeerSessionActor(SessionId id, IActorRef rooms, IActorRef sessions, SessionSettings settings,
        SocketPeerMetrics metrics, IRoomEvents events)
        : this(id, rooms, sessions, settings, metrics, events, null)
    {
    }

    /// <param name="crossings">this node's batchers for partners on other nodes; null: one remote message each</param>
    public PeerSessionActor(SessionId id, IActorRef rooms, IActorRef sessions, SessionSettings settings,
        SocketPeerMetrics metrics, IRoomEvents events, CrossingRelays? crossings)
    {
        _crossings = crossings;
        _rooms = rooms;
        _sessions = sessions;
        _settings = settings;
        _metrics = metrics;
        _events = events;
        _state = SessionState.New(id, settings.Resume.BufferMessages);
        Context.SetReceiveTimeout(SessionSettings.UnattachedLifetime);
    }

    /// <summary>
    /// A switch rather than ReceiveActor's <c>Receive&lt;T&gt;</c>: those build about thirty delegates
    /// and a matcher for every entity, ~2 KB per session (docs/benchmarks.md, idle footprint).
    /// </summary>
    protected override void OnReceive(object message)
    {
        switch (message)
        {
            // From the connection (what the client sent is acknowledged: the connection's inbound window).
            case AttachConnection m: OnAttach(m); break;
            case ResumeConnection m: OnResume(m); break;
            case ClientLeave or ClientRelay or ClientRtcStatus or ClientOptIn or ClientAck:
                Apply(_state.Handle((ISessionInput)message));
                Acknowledge();
                break;
            case ClientPair m:
                OnPair(m);
                Acknowledge();
                break;
            case ConnectionClosed m: OnConnectionClosed(m); break;

            // From a room: watch the room we are in, so its loss is noticed and it is rebuilt.
            case WaitingForPeer m: FromRoom(m.Code, m); break;
            case PeerFound m: OnPeerFound(m); break;

            // From the partner: once it speaks, tell it directly and watch it.
            case PartnerHello m: FromPartner(m.From, m, speaks: false, watch: true); break;
            case PartnerResumed m: OnPartnerResumed(m); break;
            case PartnerResumeAnswer m:
                var accepted = m.Verdict == ResumeVerdict.Accepted;
                FromPartner(m.From, m, speaks: accepted, watch: accepted);
                break;
            case Terminated m: OnTerminated(m); break;

            case ReceiveTimeout: Apply(_state.Handle(NoConnectionCame.Instance)); break;

            // The rest of the room's and the partner's messages, HandOver, and this actor's timers.
            case ISessionInput m: Apply(_state.Handle(m)); break;
            default: Unhandled(message); break;
        }
    }

    /// <summary>A traced <c>pair</c> asks for its seat under a span of its own, which the room's pairing span links to.</summary>
    private void OnPair(ClientPair pair)
    {
        if (pair.Trace is null)
        {
            Apply(_state.Handle(pair));
            return;
        }
        using var span = SocketPeerTracing.StartChild(SocketPeerTracing.SessionJoin, ActivityKind.Consumer, Context.System, pair.Trace);
        span?.SetTag(SocketPeerTracing.SessionTag, _state.Id.Value);
        Apply(_state.Handle(pair), TraceContext.Of(span));
    }

    /// <summary>The room's <c>PeerFound</c>, under the pairing's span when it carries one (docs/operations.md, "Tracing").</summary>
    private void OnPeerFound(PeerFound found)
    {
        using var span = found.Trace is null
            ? null
            : SocketPeerTracing.StartChild(SocketPeerTracing.SessionPeerFound, ActivityKind.Consumer, Context.System, found.Trace);
        span?.SetTag(SocketPeerTracing.SessionTag, _state.Id.Value)
            .SetTag(SocketPeerTracing.PartnerTag, found.Partner.Value)
            .SetTag(SocketPeerTracing.InitiatorTag, found.Initiator);
        FromRoom(found.Code, found);
        // The room knows the partner's entity: tell it directly from now on, not from its hello on,
        // which a client relaying at once on peer.found often beats (issue #18; see PartnerRoute).
        // Not an entity on a node that is leaving or lost: it has been, or is about to be, rebuilt
        // elsewhere, and the region finds that one.
        if (found.PartnerRef is { } partner && !partner.IsNobody() && _state.Phase is Paired p && p.Partner == found.Partner
            && SessionNodeStatus.IsOnLiveNode(Context.System, partner))
            _links = _links with { Route = _links.Route.Introduced(found.Partner, partner) };
    }

    private void OnPartnerResumed(PartnerResumed resumed)
    {
        using var span = resumed.Trace is null
            ? null
            : SocketPeerTracing.StartChild(SocketPeerTracing.SessionPartnerResumed, ActivityKind.Consumer, Context.System, resumed.Trace);
        span?.SetTag(SocketPeerTracing.SessionTag, _state.Id.Value).SetTag(SocketPeerTracing.PartnerTag, resumed.From.Value);
        FromPartner(resumed.From, resumed, speaks: true, watch: true);
    }

    private void OnAttach(AttachConnection attach)
    {
        var first = _connection.IsNobody();
        _connection = attach.Connection;
        Context.SetReceiveTimeout(null);
        Apply(_state.Handle(attach));
        Acknowledge();
        if (first) TellLocation();
    }

    /// <summary>
    /// A resume is about this socket and this node before it is about the session: one too late, or
    /// one reaching a node that is leaving, or one answered already, is not taken (docs/failover.md).
    /// </summary>
    private void OnResume(ResumeConnection resume)
    {
        using var span = resume.Trace is null
            ? null
            : SocketPeerTracing.StartChild(SocketPeerTracing.SessionResume, ActivityKind.Consumer, Context.System, resume.Trace);
        span?.SetTag(SocketPeerTracing.SessionTag, _state.Id.Value).SetTag(SocketPeerTracing.ResumedTag, resume.Claims.Session.Value);
        var outcome = TakeBack(resume, TraceContext.Of(span));
        span?.SetTag(SocketPeerTracing.OutcomeTag, outcome);
    }

    /// <summary>Returns what became of the resume (a span's outcome).</summary>
    private string TakeBack(ResumeConnection resume, TraceContext? trace)
    {
        if (resume.AnswerBy is { } answerBy && DateTimeOffset.UtcNow > answerBy)
        {
            // The gateway has given this resume to a successor by now (docs/failover.md).
            _log.Info("Session {0} ignores a resume that arrived after its deadline", _state.Id);
            Acknowledge();
            return "late";
        }
        if (resume.Claims.Session == _state.Id && _connection.Equals(resume.Connection) && _state.Phase is not Unattached)
        {
            // The gateway asked again (the first one may have been lost with a node): answered already
            // (and tokens issued since may have made the one it carries too old to take now).
            Acknowledge();
            return "answered-already";
        }
        if (_state.Refuses(resume) is { } refusal)
        {
            // The live owner keeps its socket; the resuming socket goes on with its own session. Before
            // the leaving check: a refused token must not have this session succeeded instead.
            _log.Info("Session {0} refused a resume: {1}", _state.Id, refusal);
            resume.Connection.Tell(new ResumeRefusedNotice(_state.Id, refusal));
            Acknowledge();
            return "refused";
        }
        if (resume.AnswerBy is not null && NodeStopping.Get(Context.System).IsStopping(Context.System) && PartnerLivesElsewhere())
        {
            // This node is leaving: taking the socket now would hand it a session that is handed
            // off a moment later (a second 1012). Its own session can succeed this one instead,
            // if the partner lives on another node: a partner leaving with this node would be
            // succeeded too, and the two successors could not find each other.
            resume.Connection.Tell(new SessionLeavingNotice(_state.Id));
            Acknowledge();
            return "node-leaving";
        }
        if (!_connection.IsNobody() && !_connection.Equals(resume.Connection))
            _connection.Tell(SessionMovedNotice.Instance); // the old socket, if it still lives, is closed 4001
        _connection = resume.Connection;
        Context.SetReceiveTimeout(null);
        _metrics.Resumed();
        Apply(_state.Handle(resume), trace);
        Acknowledge();
        TellLocation();
        return "taken";
    }

    private void OnConnectionClosed(ConnectionClosed closed)
    {
        // The socket is done, nobody waits for an ack. A socket this session was resumed away from is
        // not ours; the socket of a session that handed over is, whichever session it served last.
        if (_state.HandedOverTo is null)
        {
            if (closed.Connection is { } c && !c.Equals(_connection)) return;
            _connection = ActorRefs.Nobody;
        }
        Apply(_state.Handle(closed));
    }

    private void OnTerminated(Terminated t)
    {
        if (t.ActorRef.Equals(_links.Room) && _links.RoomCode is { } code)
        {
            _links = _links with { Room = null, RoomCode = null };
            if (NodeStopping.Get(Context.System).IsStopping(Context.System))
            {
                Apply(_state.Handle(new RoomLost(code, OnStoppingNode: true))); // no recovery from here
                return;
            }
            using var span = StartRecovery("room");
            Apply(_state.Handle(new RoomLost(code)), TraceContext.Of(span));
        }
        else if (t.ActorRef.Equals(_links.Partner) && _state.WatchedPartner is { } partner)
        {
            _links = _links with { Partner = null, Route = _links.Route.ThroughRegion(partner) };
            // A partner entity that only stopped (handed off, or ended) is no node loss: its node says
            // so (existence confirmed), and there is no recovery trace. Remoting gives up on a node
            // without that word: its address terminated, or, before the cluster has marked it at all,
            // its association shut down under the watch (a crashed process's port refusing).
            var nodeLost = t.AddressTerminated || (!t.ExistenceConfirmed && t.ActorRef.Path.Address.HasGlobalScope);
            using var span = nodeLost ? StartRecovery("partner") : null;
            Apply(_state.Handle(nodeLost ? PartnerLost.OnLostNode : PartnerLost.Instance), TraceContext.Of(span));
        }
    }

    /// <summary>
    /// A lost room or partner (its node gone, or the entity stopped) starts a recovery: its own trace,
    /// which the joins and resumes it sends carry on.
    /// </summary>
    private Activity? StartRecovery(string lost) =>
        SocketPeerTracing.StartRoot(SocketPeerTracing.Recovery, ActivityKind.Internal, Context.System)
            ?.SetTag(SocketPeerTracing.SessionTag, _state.Id.Value)
            .SetTag(SocketPeerTracing.LostTag, lost);

    /// <summary>
    /// Once this entity asked to passivate, what still reaches it goes back through the region: the
    /// shard holds it and starts a new incarnation, instead of this one taking it and then stopping.
    /// </summary>
    protected override bool AroundReceive(Receive receive, object message)
    {
        if (_stopping && message is IWithSessionId)
        {
            _sessions.Forward(message);
            return true;
        }
        return base.AroundReceive(receive, message);
    }

    /// <summary>The ack opens the connection's inbound window; what is told without a sender (a resume) waits for none.</summary>
    private void Acknowledge()
    {
        if (!Sender.Equals(Context.System.DeadLetters)) Sender.Tell(SessionAck.Instance);
    }

    /// <summary>A room's answer: watch the room we are in, so its loss is noticed and it is rebuilt.</summary>
    private void FromRoom(PairCode code, ISessionInput answer)
    {
        Apply(_state.Handle(answer));
        if (_state.Phase.Room != code || _state.Phase is Joining || Sender.Equals(_links.Room)) return;
        if (_links.Room is { } old) Context.Unwatch(old);
        _links = _links with { Room = Sender, RoomCode = code };
        Context.Watch(Sender);
    }

    /// <summary>
    /// A message from <paramref name="from"/>. One that <paramref name="speaks"/> for the partner's
    /// entity (an answer, a replay's request) sets the route: what this session sends it next must go
    /// to that incarnation, not to one that may have died unnoticed. If <paramref name="watch"/>, and
    /// the sender is the partner after the message, the actor watches it.
    /// </summary>
    private void FromPartner(SessionId from, ISessionInput message, bool speaks, bool watch)
    {
        if (speaks && !Sender.IsNobody() && _state.Phase is Paired p && p.Partner == from)
            _links = _links with { Route = _links.Route.Known(from, Sender) };
        Apply(_state.Handle(message));
        if (watch && _state.Phase is Paired paired && paired.Partner == from) WatchPartner(from);
    }

    /// <summary>
    /// The socket learns which entity serves it: to tell it directly, not through the shard region,
    /// and, on another node, to notice losing it.
    /// </summary>
    private void TellLocation() => Deliver(new SessionLocation(Self, _state.Id));

    /// <summary>True when not paired, or paired with a session this one watches on another node.</summary>
    private bool PartnerLivesElsewhere() =>
        _state.Phase is not Paired || _links.Partner is { } partner && partner.Path.Address.HasGlobalScope;

    private void WatchPartner(SessionId partner)
    {
        if (Sender.Equals(_links.Partner) || Sender.IsNobody()) return;
        if (_links.Partner is { } old) Context.Unwatch(old);
        _links = _links with { Partner = Sender, Route = _links.Route.Known(partner, Sender) };
        Context.Watch(Sender);
        Apply(_state.Handle(new PartnerWatched(partner)));
    }

    /// <summary>
    /// Straight to the partner's entity when the pairing's route allows it (<see cref="PartnerRoute"/>):
    /// two mailboxes fewer per relay than through the shard region (region, shard). Otherwise, and
    /// for good once the partner was lost, through the region (counted for relays:
    /// <c>socketpeer_relays_routed_total</c>). A partner on another node is told through this node's
    /// batcher for that node when relay batching is on: every message of the direct route, not only
    /// relays and acks, so that what the partner hears keeps the order it was sent in (a resume's
    /// answer before the replay that follows it).
    /// </summary>
    private void ToPartner(IWithSessionId message)
    {
        var hello = message is PartnerHello;
        if ((hello ? _links.Route.DirectHello(message.Session) : _links.Route.Direct(message.Session)) is { } partner)
        {
            if (_crossings is not null && partner.Path.Address.HasGlobalScope) _crossings.Tell(partner, message, Self);
            else partner.Tell(message);
            return;
        }
        // A hello has no order to keep (it only lets the partner watch this entity), and it is sent
        // before the partner's entity vouched for its ref: it must not keep the pairing off the direct route.
        if (!hello) _links = _links with { Route = _links.Route.ThroughRegion(message.Session) };
        if (message is PartnerRelay) _metrics.RelayedThroughRegion();
        _sessions.Tell(message);
    }

    /// <summary>
    /// <see cref="Apply(SessionTransition)"/> for an input handled under a span: the joins and resume
    /// requests it sends carry the span, so the room's or the partner's spans join its trace. The
    /// relay path never comes here.
    /// </summary>
    private void Apply(SessionTransition transition, TraceContext? trace)
    {
        if (trace is not null)
            transition = transition with { Effects = [.. transition.Effects.Select(e => Traced(e, trace))] };
        Apply(transition);
    }

    private static SessionEffect Traced(SessionEffect effect, TraceContext trace) => effect switch
    {
        ToRoom { Message: JoinRoom join } => new ToRoom(join with { Trace = trace }),
        ToPartner { Message: PartnerResumed resumed } => new ToPartner(resumed with { Trace = trace }),
        _ => effect,
    };

    private void Apply(SessionTransition transition)
    {
        var before = _state;
        _state = transition.State;
        foreach (var effect in transition.Effects)
        {
            switch (effect)
            {
                case ToClient m: ToClient(m.Message); break;
                case ToRoom m: _rooms.Tell(m.Message); break;
                case ToPartner m: ToPartner(m.Message); break;
                case StartTimer m: StartTimer(m.Timer, m.Fires); break;
                case CancelTimer m: Timers.Cancel(m.Timer); break;
                case Gauge m: Move(m.Which, m.By); break;
                case PairFormed: _metrics.PairFormed(); break;
                case Announce m: Announce(m.Event); break;
                case Stop: BeginStop(); break;
            }
            Explain(before, effect);
        }
        if (!before.Phase.Equals(_state.Phase)) TimePairing(before.Phase, _state.Phase);
    }

    /// <summary>Stamps an event and hands it over; the sink only enqueues, so this never waits.</summary>
    private void Announce(RoomEvent roomEvent)
    {
        var now = DateTimeOffset.UtcNow;
        _events.Announce(roomEvent with
        {
            At = now,
            Duration = roomEvent.Kind == RoomEventKind.PairEnded && _pairedSince is { } since ? now - since : null,
        });
    }

    /// <summary>
    /// A pairing starts its clock when it forms here; one rebuilt from a token (confirming) or taken over
    /// by a successor started elsewhere, at a time this incarnation never learnt.
    /// </summary>
    private void TimePairing(SessionPhase before, SessionPhase after)
    {
        if (after is not Paired now)
        {
            _pairedSince = null;
            return;
        }
        if (before is Paired was && _state.PairingOf(was) == _state.PairingOf(now)) return;
        _pairedSince = now.Confirming ? null : DateTimeOffset.UtcNow;
    }

    private void StartTimer(SessionTimer timer, ISessionInput fires)
    {
        var (after, periodic) = _settings.Schedule(timer);
        if (periodic) Timers.StartPeriodicTimer(timer, fires, after);
        else Timers.StartSingleTimer(timer, fires, after);
    }

    private void Move(SessionGauge gauge, int by)
    {
        switch (gauge)
        {
            case SessionGauge.Waiting: _metrics.Waiting(by); break;
            case SessionGauge.Paired: _metrics.Paired(by); break;
            case SessionGauge.Upgraded: _metrics.Upgraded(by); break;
            case SessionGauge.Away: _metrics.Away(by); break;
        }
    }

    /// <summary>A resume that did not work out is worth a line in the log: it costs a client its pairing.</summary>
    private void Explain(SessionState before, SessionEffect effect)
    {
        switch (effect)
        {
            case ToPartner { Message: PartnerResumeAnswer { Verdict: not ResumeVerdict.Accepted } answer }:
                _log.Info("Session {0} answered {1}'s resume: {2} (phase {3})", before.Id, answer.Session, answer.Verdict, before.Phase);
                break;
            case ToClient { Message: RefusedNotice { Refusal: Refusal.PairingEnded or Refusal.PartnerDidNotReturn } failed }:
                _log.Info("Session {0}: resume failed: {1} (phase {2})", before.Id, failed.Refusal, before.Phase);
                break;
        }
    }

    /// <summary>What the client hears goes to its socket, if one serves it; <c>session</c> gets the grace period here.</summary>
    private void ToClient(IClientMessage message)
    {
        if (message is SessionStarted started)
            message = started with { ResumeGraceSeconds = (int)_settings.Resume.Grace.TotalSeconds };
        if (!_connection.IsNobody()) Deliver(message);
    }

    private void Deliver(ISocketPeerMessage message) => _connection.Tell(message);

    private void BeginStop()
    {
        if (_stopping) return;
        _stopping = true;
        _log.Debug("Session {0} ends", _state.Id);
        Context.Parent.Tell(new Passivate(PoisonPill.Instance));
    }

    /// <summary>Gauges must not count a session that is gone (a stop without ConnectionClosed: shutdown, hand-off).</summary>
    protected override void PostStop() => Apply(_state.Handle(EntityStopped.Instance));
}
