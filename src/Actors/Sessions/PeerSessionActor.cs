using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using SocketPeer.Actors.Cluster;
using SocketPeer.Actors.Diagnostics;
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
    /// <summary>How long an entity made by a stray message waits for a connection before stopping.</summary>
    private static readonly TimeSpan UnattachedLifetime = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often an unanswered join is sent again. A live room answers in milliseconds, or holds the
    /// join for its seat check (<see cref="RoomActor.SeatCheckDeadline"/>, where a repeat changes
    /// nothing); a join lost with a dead room reaches the rebuilt one at most this long after the
    /// dead node's removal.
    /// </summary>
    public static readonly TimeSpan JoinRetry = TimeSpan.FromMilliseconds(500);

    /// <summary>How often a paired session that watches no partner yet says hello again.</summary>
    public static readonly TimeSpan HelloAgainEvery = TimeSpan.FromSeconds(1);

    /// <summary>Notices kept for an absent client (peer.found, peer.left, errors); relays wait at the sender.</summary>
    private const int MaxAwayNotices = 16;

    private readonly IActorRef _rooms;
    private readonly IActorRef _sessions;
    private readonly SessionSettings _settings;
    private readonly SocketPeerMetrics _metrics;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly List<IClientMessage> _awayNotices = [];
    private SessionState _state;
    private IActorRef _connection = ActorRefs.Nobody;
    private IActorRef? _room;
    private PairCode? _roomCode;
    private IActorRef? _partner;
    private SessionId? _partnerId;
    private PartnerRoute _route = PartnerRoute.None;
    private bool _stopping;
    private SessionId? _handedOverTo;
    private bool _helloing;

    public ITimerScheduler Timers { get; set; } = null!;

    public PeerSessionActor(SessionId id, IActorRef rooms, IActorRef sessions, SessionSettings settings,
        SocketPeerMetrics metrics)
    {
        _rooms = rooms;
        _sessions = sessions;
        _settings = settings;
        _metrics = metrics;
        _state = SessionState.New(id, settings.Resume.BufferMessages);
        Context.SetReceiveTimeout(UnattachedLifetime);
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
            case ClientPair m: FromConnection(_state.Handle(m)); break;
            case ClientLeave m: FromConnection(_state.Handle(m)); break;
            case ClientRelay m: FromConnection(_state.Handle(m)); break;
            case ClientRtcStatus m: FromConnection(_state.Handle(m)); break;
            case ClientOptIn m: FromConnection(_state.Handle(m)); break;
            case ClientAck m: FromConnection(_state.Handle(m)); break;
            case HandOver m: _handedOverTo = m.To; break;
            case ConnectionClosed m: OnConnectionClosed(m); break;

            // From the room and the partner.
            case WaitingForPeer m: FromRoom(m.Code, _state.Handle(m)); break;
            case PeerFound m: FromRoom(m.Code, _state.Handle(m)); break;
            case RoomBusy m: Apply(_state.Handle(m)); break;
            case PartnerLeft m: Apply(_state.Handle(m)); break;
            case PartnerRelay m: Apply(_state.Handle(m)); break;
            case PartnerAck m: Apply(_state.Handle(m)); break;
            case PartnerGaveUp m: Apply(_state.Handle(m)); break;
            case SeatTaken m: Apply(_state.Handle(m)); break;
            case CheckSeat m: Apply(_state.Handle(m)); break;
            case PartnerHello m:
                Apply(_state.Handle(m));
                if (_state.Phase is Paired hello && hello.Partner == m.From) WatchPartner(m.From);
                break;
            case PartnerGone m: Apply(_state.Handle(m)); break;
            case PartnerResumed m:
                PartnerSpeaks(m.From);
                Apply(_state.Handle(m));
                if (_state.Phase is Paired resumed && resumed.Partner == m.From) WatchPartner(m.From);
                break;
            case PartnerResumeAnswer m:
                var accepted = m.Verdict == ResumeVerdict.Accepted;
                if (accepted) PartnerSpeaks(m.From);
                Apply(_state.Handle(m));
                if (accepted && _state.Phase is Paired answered && answered.Partner == m.From) WatchPartner(m.From);
                break;
            case Terminated m: OnTerminated(m); break;

            // Timers.
            case PeerTimeoutElapsed m: Apply(_state.PeerTimedOut(m.Code)); break;
            case GraceElapsed: Apply(_state.GraceExpired()); break;
            case PartnerGraceElapsed m: Apply(_state.PartnerGraceExpired(m.Partner)); break;
            case ConfirmElapsed: Apply(_state.ConfirmExpired()); break;
            case ReplayElapsed: Apply(_state.ReplayWaitExpired()); break;
            case JoinRetryElapsed: Apply(_state.RetryJoin()); break;
            case HelloAgainElapsed: Apply(_state.HelloAgain()); break;
            case RefreshToken: SendToken(); break;
            case ReceiveTimeout: Apply(new SessionTransition(_state, [Stop.Instance])); break;
            default: Unhandled(message); break;
        }
    }

    private void OnAttach(AttachConnection attach)
    {
        var first = _connection.IsNobody();
        _connection = attach.Connection;
        Context.SetReceiveTimeout(null);
        FromConnection(_state.Handle(attach));
        if (first) TellLocation();
    }

    private void OnResume(ResumeConnection resume)
    {
        if (resume.AnswerBy is { } answerBy && DateTimeOffset.UtcNow > answerBy)
        {
            // The gateway has given this resume to a successor by now (docs/failover.md).
            _log.Info("Session {0} ignores a resume that arrived after its deadline", _state.Id);
            if (!Sender.Equals(Context.System.DeadLetters)) Sender.Tell(SessionAck.Instance);
            return;
        }
        if (resume.AnswerBy is not null && NodeStopping.Get(Context.System).IsStopping(Context.System) && PartnerLivesElsewhere())
        {
            // This node is leaving: taking the socket now would hand it a session that is handed
            // off a moment later (a second 1012). Its own session can succeed this one instead,
            // if the partner lives on another node: a partner leaving with this node would be
            // succeeded too, and the two successors could not find each other.
            resume.Connection.Tell(new SessionLeavingNotice(_state.Id));
            if (!Sender.Equals(Context.System.DeadLetters)) Sender.Tell(SessionAck.Instance);
            return;
        }
        if (resume.Claims.Session == _state.Id && _connection.Equals(resume.Connection) && _state.Phase is not Unattached)
        {
            // The gateway asked again (the first one may have been lost with a node): answered already.
            if (!Sender.Equals(Context.System.DeadLetters)) Sender.Tell(SessionAck.Instance);
            return;
        }
        if (resume.Claims.Session != _state.Id)
            _handedOverTo = null; // this socket's own session succeeds the claimed one: it serves the socket now
        if (!_connection.IsNobody() && !_connection.Equals(resume.Connection))
            _connection.Tell(SessionMovedNotice.Instance); // the old socket, if it still lives, is closed 4001
        _connection = resume.Connection;
        Context.SetReceiveTimeout(null);
        _metrics.Resumed();
        FromConnection(_state.Handle(resume));
        TellLocation();
    }

    private void OnConnectionClosed(ConnectionClosed closed)
    {
        if (_handedOverTo is { } successor)
        {
            // The socket ends here (its first session); the session it resumed hears it after its last message.
            _sessions.Tell(new ConnectionClosed(successor, closed.Connection));
            BeginStop();
            return;
        }
        // The socket is done, nobody waits for an ack. A socket this session was resumed away from is not ours.
        if (closed.Connection is { } c && !c.Equals(_connection)) return;
        _connection = ActorRefs.Nobody;
        Apply(_state.Handle(closed));
    }

    private void OnTerminated(Terminated t)
    {
        if (t.ActorRef.Equals(_room) && _roomCode is { } code)
        {
            _room = null;
            Apply(_state.RoomLost(code));
        }
        else if (t.ActorRef.Equals(_partner) && _partnerId is { } partner)
        {
            _partner = null;
            _route = _route.ThroughRegion(partner);
            Apply(_state.PartnerLost(partner));
        }
    }

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

    private void FromConnection(SessionTransition transition)
    {
        Apply(transition);
        // The ack opens the connection's inbound window; what is told without a sender (a resume) waits for none.
        if (!Sender.Equals(Context.System.DeadLetters)) Sender.Tell(SessionAck.Instance);
    }

    /// <summary>A room's answer: watch the room we are in, so its loss is noticed and it is rebuilt.</summary>
    private void FromRoom(PairCode code, SessionTransition transition)
    {
        Apply(transition);
        if (_state.Phase.Room != code || _state.Phase is Joining || Sender.Equals(_room)) return;
        if (_room is not null) Context.Unwatch(_room);
        _room = Sender;
        _roomCode = code;
        Context.Watch(_room);
    }

    /// <summary>
    /// The socket learns which entity serves it: to tell it directly, not through the shard region,
    /// and, on another node, to notice losing it.
    /// </summary>
    private void TellLocation() => Deliver(new SessionLocation(Self, _state.Id));

    /// <summary>True when not paired, or paired with a session this one watches on another node.</summary>
    private bool PartnerLivesElsewhere() =>
        _state.Phase is not Paired || _partner is { } partner && partner.Path.Address.HasGlobalScope;

    private void WatchPartner(SessionId partner)
    {
        if (Sender.Equals(_partner) || Sender.IsNobody()) return;
        if (_partner is not null) Context.Unwatch(_partner);
        _partner = Sender;
        _partnerId = partner;
        Context.Watch(_partner);
        _route = _route.Known(partner, _partner);
        KeepHelloing();
    }

    /// <summary>
    /// Straight to the partner's entity when the pairing's route allows it (<see cref="PartnerRoute"/>):
    /// two mailboxes fewer per relay than through the shard region (region, shard). Otherwise, and
    /// for good once the partner was lost, through the region.
    /// </summary>
    private void ToPartner(IWithSessionId message)
    {
        if (_route.Direct(message.Session) is { } partner)
        {
            partner.Tell(message);
            return;
        }
        // A hello has no order to keep (it only lets the partner watch this entity), and it is sent
        // before the partner's ref is known: it must not keep the pairing off the direct route.
        if (message is not PartnerHello) _route = _route.ThroughRegion(message.Session);
        _sessions.Tell(message);
    }

    /// <summary>
    /// The partner's entity answered from <see cref="ActorBase.Sender"/>: what this session sends it
    /// next (a replay, say) must go to that incarnation, not to one that may have died unnoticed.
    /// </summary>
    private void PartnerSpeaks(SessionId from)
    {
        if (!Sender.IsNobody() && _state.Phase is Paired p && p.Partner == from) _route = _route.Known(from, Sender);
    }

    private void Apply(SessionTransition transition)
    {
        var before = _state;
        _state = transition.State;
        Explain(before, transition);
        foreach (var effect in transition.Effects)
        {
            switch (effect)
            {
                case ToClient m: ToClient(m.Message); break;
                case ToRoom m: _rooms.Tell(m.Message); break;
                case ToPartner m: ToPartner(m.Message); break;
                case Stop: BeginStop(); break;
            }
        }
        Account(before, _state);
        KeepHelloing();
    }

    /// <summary>
    /// While paired without watching the partner, say hello again every <see cref="HelloAgainEvery"/>
    /// (see <see cref="SessionState.HelloAgain"/>). The partner's own hello, which normally arrives
    /// within milliseconds of the pairing, ends it; so does a pairing that ends.
    /// </summary>
    private void KeepHelloing()
    {
        var unwatched = _state.Phase is Paired p && !_state.Confirming && (_partner is null || _partnerId != p.Partner);
        if (unwatched == _helloing) return; // every relay passes here: no timer lookup on the hot path
        _helloing = unwatched;
        if (unwatched)
            Timers.StartPeriodicTimer(nameof(HelloAgainElapsed), HelloAgainElapsed.Instance, HelloAgainEvery);
        else
            Timers.Cancel(nameof(HelloAgainElapsed));
    }

    /// <summary>A resume that did not work out is worth a line in the log: it costs a client its pairing.</summary>
    private void Explain(SessionState before, SessionTransition transition)
    {
        foreach (var effect in transition.Effects)
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
    }

    private void ToClient(IClientMessage message)
    {
        switch (message)
        {
            case SessionStarted s:
                Deliver(s with { Token = IssueToken(), ResumeGraceSeconds = (int)_settings.Resume.Grace.TotalSeconds });
                // What happened while the client was away comes right after the session is back.
                foreach (var notice in _awayNotices) Deliver(notice);
                _awayNotices.Clear();
                return;
            case PeerFoundNotice { Initiator: true }:
                _metrics.PairFormed(); // each pair has exactly one initiator, so this counts pairs once
                break;
            case ResumedNotice when _state.Predecessor is not null && !_connection.IsNobody():
                // A successor: its client holds the new socket's first `session` (an idle token) and
                // may take that one on `resumed`; the token that counts comes after it.
                Deliver(message);
                SendToken();
                return;
        }
        if (!_connection.IsNobody())
            Deliver(message);
        else if (_state.Away && message is not (AckNotice or RelayedNotice) && _awayNotices.Count < MaxAwayNotices)
            _awayNotices.Add(message);
    }

    private void Deliver(ISocketPeerMessage message) => _connection.Tell(message);

    private string IssueToken()
    {
        var (state, code, partner) = _state.Claims;
        return _settings.Resume.Tokens.Issue(_state.Id, state, code, partner, _state.PartnerResumable);
    }

    private void SendToken()
    {
        if (_state.Resumable && !_connection.IsNobody()) Deliver(new TokenNotice(IssueToken()));
    }

    /// <summary>Keeps the gauges, timers and tokens in step with state changes.</summary>
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
        if (AwaitsRoom(before) != AwaitsRoom(after))
        {
            if (AwaitsRoom(after))
                Timers.StartPeriodicTimer(nameof(JoinRetryElapsed), JoinRetryElapsed.Instance, JoinRetry);
            else
                Timers.Cancel(nameof(JoinRetryElapsed));
        }
        if (before.Path == RtcPath.Upgraded != (after.Path == RtcPath.Upgraded))
            _metrics.Upgraded(after.Path == RtcPath.Upgraded ? 1 : -1);

        if (before.Away != after.Away)
            _metrics.Away(after.Away ? 1 : -1);
        Toggle(before.Away, after.Away, GraceElapsed.Instance, _settings.Resume.Grace);
        Toggle(before.Confirming, after.Confirming, ConfirmElapsed.Instance, _settings.Resume.Grace);
        Toggle(before.Replaying, after.Replaying, ReplayElapsed.Instance, _settings.Resume.Grace);
        if (after.PartnerAway && !before.PartnerAway && after.Phase is Paired p)
            Timers.StartSingleTimer(nameof(PartnerGraceElapsed), new PartnerGraceElapsed(p.Partner), _settings.Resume.Grace);
        else if (!after.PartnerAway && before.PartnerAway)
            Timers.Cancel(nameof(PartnerGraceElapsed));

        if (after.Resumable && !before.Resumable)
            Timers.StartPeriodicTimer(nameof(RefreshToken), RefreshToken.Instance, _settings.Resume.Tokens.Lifetime / 2);
        // A fresh token whenever what it vouches for changes; a rebuilt session's `session` has one already.
        var optedIn = after.Resumable && !before.Resumable && before.Phase is not Unattached;
        if (optedIn || (after.Resumable && before.Resumable && before.Claims != after.Claims && !after.Away))
            SendToken();
    }

    /// <summary>A join (or a re-join of a lost room) the room has not answered yet: asked again until it does.</summary>
    private static bool AwaitsRoom(SessionState state) => state.Phase is Joining || state.Rejoining;

    private void Toggle(bool before, bool after, object timer, TimeSpan delay)
    {
        var key = timer.GetType().Name;
        if (after && !before) Timers.StartSingleTimer(key, timer, delay);
        else if (!after && before) Timers.Cancel(key);
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
        var quiet = _state with { Resumable = false, Confirming = false, Replaying = false, PartnerAway = false };
        Account(quiet, quiet with { Phase = new Idle(), Path = null, Away = false });
    }

    // Timer messages (local to this actor).
    private sealed record PeerTimeoutElapsed(PairCode Code);

    private sealed record PartnerGraceElapsed(SessionId Partner);

    private sealed record GraceElapsed
    {
        public static readonly GraceElapsed Instance = new();
    }

    private sealed record ConfirmElapsed
    {
        public static readonly ConfirmElapsed Instance = new();
    }

    private sealed record ReplayElapsed
    {
        public static readonly ReplayElapsed Instance = new();
    }

    private sealed record RefreshToken
    {
        public static readonly RefreshToken Instance = new();
    }

    private sealed record JoinRetryElapsed
    {
        public static readonly JoinRetryElapsed Instance = new();
    }

    private sealed record HelloAgainElapsed
    {
        public static readonly HelloAgainElapsed Instance = new();
    }
}
