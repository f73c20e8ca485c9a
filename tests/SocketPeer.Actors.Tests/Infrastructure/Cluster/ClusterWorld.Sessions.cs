using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Sessions;
using static SocketPeer.Actors.Sessions.SessionEffect;
using static SocketPeer.Actors.Sessions.SessionPhase;

namespace SocketPeer.Actors.Tests.Infrastructure.Cluster;

/// <summary>
/// Sessions of a <see cref="ClusterWorld"/>, emulating what <see cref="PeerSessionActor"/> adds to
/// <see cref="SessionState"/>: it watches the room that answered it and the partner that said hello
/// (their loss is <see cref="RoomLost"/> / <see cref="PartnerLost"/>), tells the partner directly once
/// it knows its incarnation (<c>PartnerRoute</c>: from the room's <c>PeerFound</c>, or the partner's
/// own word), runs the timers the state asks for, and stops when unattached for 30 s.
/// </summary>
internal sealed partial class ClusterWorld
{
    /// <summary>PeerSessionActor's receive timeout for an entity no connection attached to.</summary>
    public static readonly TimeSpan UnattachedLifetime = SessionSettings.UnattachedLifetime;

    /// <summary>An unanswered join or re-join is sent again this often.</summary>
    public static readonly TimeSpan JoinRetry = SessionSettings.JoinRetry;

    /// <summary>SocketPeer:PeerTimeout's default.</summary>
    public static readonly TimeSpan PeerTimeout = SessionSettings.DefaultPeerTimeout;

    /// <summary>The sessions' settings (resume with its defaults; the original protocol never starts those timers).</summary>
    private readonly SessionSettings _settings;

    private void ToSession(object message, Envelope envelope)
    {
        // Terminated is told to the watcher's incarnation, which names the session.
        var id = message is IWithSessionId m ? m.Session : new SessionId(envelope.Direct!.Address["session:".Length..]);
        if (envelope.Direct is { } direct && !IsAlive(direct))
        {
            Note("    dead letter: that incarnation is gone");
            return;
        }
        if (!_sessions.TryGetValue(id, out var session))
        {
            session = new SessionEntity(NewRef($"session:{id}", envelope.To), SessionState.New(id));
            _sessions[id] = session;
            Note($"    new entity {session.Self}");
            StartTimer(session, "ReceiveTimeout", UnattachedLifetime, s => Apply(s, s.State.Handle(NoConnectionCame.Instance)));
        }
        else if (session.Timers.ContainsKey("ReceiveTimeout"))
        {
            // Any message resets an actor's receive timeout.
            StartTimer(session, "ReceiveTimeout", UnattachedLifetime, s => Apply(s, s.State.Handle(NoConnectionCame.Instance)));
        }
        Receive(session, message, envelope.Sender, envelope.Introduces);
    }

    private void Receive(SessionEntity session, object message, EntityRef? sender, EntityRef? introduced)
    {
        var s = session.State;
        switch (message)
        {
            case AttachConnection m:
                session.Attached = true;
                CancelTimer(session, "ReceiveTimeout");
                Apply(session, s.Handle(m));
                break;
            case ConnectionClosed m:
                session.Attached = false;
                Apply(session, s.Handle(m));
                break;
            case WaitingForPeer m: FromRoom(session, m.Code, sender, s.Handle(m)); break;
            case PeerFound m:
                FromRoom(session, m.Code, sender, s.Handle(m));
                if (introduced is not null && session.State.Phase is Paired found && found.Partner == m.Partner)
                    Introduced(session, m.Partner, introduced);
                break;
            case PartnerHello m:
                Apply(session, s.Handle(m));
                if (session.State.Phase is Paired hello && hello.Partner == m.From) WatchPartner(session, m.From, sender);
                break;
            case PartnerResumed m:
                PartnerSpeaks(session, m.From, sender);
                Apply(session, session.State.Handle(m));
                if (session.State.Phase is Paired resumed && resumed.Partner == m.From) WatchPartner(session, m.From, sender);
                break;
            case PartnerResumeAnswer m:
                var accepted = m.Verdict == ResumeVerdict.Accepted;
                if (accepted) PartnerSpeaks(session, m.From, sender);
                Apply(session, session.State.Handle(m));
                if (accepted && session.State.Phase is Paired answered && answered.Partner == m.From) WatchPartner(session, m.From, sender);
                break;
            case Terminated t: OnTerminated(session, t.Who); break;
            case IWithSessionId m: Apply(session, s.Handle(m)); break;
        }
    }

    private void OnTerminated(SessionEntity session, EntityRef who)
    {
        if (who == session.Room && session.RoomCode is { } code)
        {
            session.Room = null;
            Apply(session, session.State.Handle(new RoomLost(code)));
        }
        else if (who == session.Partner && session.State.WatchedPartner is { } partner)
        {
            session.Partner = null;
            session.RegionUsedFor.Add(partner);
            Apply(session, session.State.Handle(PartnerLost.Instance));
        }
    }

    /// <summary>A room's answer: watch the room we are in (PeerSessionActor.FromRoom).</summary>
    private void FromRoom(SessionEntity session, PairCode code, EntityRef? room, SessionTransition transition)
    {
        Apply(session, transition);
        if (!IsAlive(session.Self) || room is null) return; // stopping: the actor's watch dies with it
        if (session.State.Phase.Room != code || session.State.Phase is Joining || room == session.Room) return;
        if (session.Room is { } old) Unwatch(session.Self, old);
        session.Room = room;
        session.RoomCode = code;
        Watch(session.Self, room);
    }

    private void WatchPartner(SessionEntity session, SessionId partner, EntityRef? sender)
    {
        if (sender is null || sender == session.Partner || !IsAlive(session.Self)) return;
        if (session.Partner is { } old) Unwatch(session.Self, old);
        session.Partner = sender;
        Watch(session.Self, sender);
        session.RoutePartner = partner;
        session.RouteRef = sender;
        session.RouteVouched = true;
        Apply(session, session.State.Handle(new PartnerWatched(partner)));
    }

    private static void PartnerSpeaks(SessionEntity session, SessionId from, EntityRef? sender)
    {
        if (sender is not null && session.State.Phase is Paired p && p.Partner == from)
        {
            session.RoutePartner = from;
            session.RouteRef = sender;
            session.RouteVouched = true;
        }
    }

    /// <summary>
    /// PartnerRoute.Introduced: the room's word for the partner's incarnation, unless the partner's own
    /// is in, or the incarnation's node is not up and connected (SessionNodeStatus.IsOnLiveNode).
    /// </summary>
    private void Introduced(SessionEntity session, SessionId partner, EntityRef entity)
    {
        if (session.RoutePartner == partner && session.RouteVouched) return;
        if (entity.Node != session.Self.Node && (_nodes.StatusOf(entity.Node) != NodeStatus.Up || _connectionsReset.Contains(entity.Node)))
            return;
        session.RoutePartner = partner;
        session.RouteRef = entity;
        session.RouteVouched = false;
    }

    private void Apply(SessionEntity session, SessionTransition transition)
    {
        if (!IsAlive(session.Self)) return; // a stopped incarnation (its timers outlived it)
        var before = session.State;
        session.State = transition.State;
        if (before.Phase != transition.State.Phase) Note($"    {session.Self} is now {transition.State.Phase}");
        foreach (var effect in transition.Effects)
        {
            switch (effect)
            {
                case ToClient m:
                    ToClient(session, m.Message);
                    break;
                case ToRoom m:
                    ToRoomRegion(session.Self, m.Message);
                    break;
                case ToPartner m:
                    if (m.Message is PartnerRelay relay)
                        _sent.TryAdd(Payload(relay.Payload), new SentRelay(relay.From, relay.Session, relay.Code, transition.State.Phase));
                    ToPartner(session, m.Message);
                    break;
                case StartTimer m:
                    StartTimer(session, m.Timer, m.Fires);
                    break;
                case CancelTimer m:
                    CancelTimer(session, m.Timer.ToString());
                    break;
                case Stop:
                    StopSession(session);
                    break;
            }
        }
    }

    /// <summary>Timers.StartSingleTimer / StartPeriodicTimer as PeerSessionActor runs them. Tokens are not modelled.</summary>
    private void StartTimer(SessionEntity session, SessionTimer timer, ISessionInput fires)
    {
        if (timer is SessionTimer.TokenRefresh || !IsAlive(session.Self)) return;
        var (after, periodic) = _settings.Schedule(timer);
        if (periodic)
            StartPeriodicTimer(session, timer.ToString(), after, s => Apply(s, s.State.Handle(fires)));
        else
            StartTimer(session, timer.ToString(), after, s => Apply(s, s.State.Handle(fires)));
    }

    /// <summary>
    /// PeerSessionActor.ToPartner: direct to a known incarnation unless the region was ever used for it;
    /// a hello only to one the partner vouched for.
    /// </summary>
    private void ToPartner(SessionEntity session, IWithSessionId message)
    {
        if (session.RoutePartner == message.Session && !session.RegionUsedFor.Contains(message.Session) && session.RouteRef is { } direct
            && (message is not PartnerHello || session.RouteVouched))
        {
            Enqueue(session.Self.Address, $"session:{message.Session}",
                new Envelope(message, session.Self, session.Self.Node, direct.Node, direct));
            return;
        }
        if (message is not PartnerHello) session.RegionUsedFor.Add(message.Session);
        ToSessionRegion(session.Self, message);
    }

    private void ToSessionRegion(EntityRef sender, IWithSessionId message, EntityRef? introduces = null) =>
        Enqueue(sender.Address, $"session:{message.Session}",
            new Envelope(message, sender, sender.Node, SessionHome(message.Session, sender.Node), Introduces: introduces));

    private void ToRoomRegion(EntityRef sender, IWithPairCode message) =>
        Enqueue(sender.Address, $"room:{message.Code}", new Envelope(message, sender, sender.Node, RoomHome(message.Code)));

    private void StopSession(SessionEntity session)
    {
        if (!IsAlive(session.Self)) return;
        Note($"    {session.Self} stops");
        _sessions.Remove(session.State.Id);
        CancelTimers(session);
        Terminate(session.Self);
    }

    /// <summary>Timers.StartSingleTimer: a timer of the same key replaces the running one.</summary>
    private void StartTimer(SessionEntity session, string key, TimeSpan delay, Action<SessionEntity> fire)
    {
        CancelTimer(session, key);
        session.Timers[key] = _clock.Start(delay, $"{key} of {session.Self}", () =>
        {
            session.Timers.Remove(key);
            if (IsAlive(session.Self)) fire(session);
        });
    }

    private void StartPeriodicTimer(SessionEntity session, string key, TimeSpan interval, Action<SessionEntity> fire) =>
        StartTimer(session, key, interval, s =>
        {
            StartPeriodicTimer(s, key, interval, fire);
            fire(s);
        });

    private static void CancelTimer(SessionEntity session, string key)
    {
        if (session.Timers.Remove(key, out var timer)) timer.Cancel();
    }

    private static void CancelTimers(SessionEntity session)
    {
        foreach (var timer in session.Timers.Values) timer.Cancel();
        session.Timers.Clear();
    }
}
