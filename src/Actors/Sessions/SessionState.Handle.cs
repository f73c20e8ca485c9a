using static SocketPeer.Actors.Sessions.SessionEffect;
using static SocketPeer.Actors.Sessions.SessionPhase;

namespace SocketPeer.Actors.Sessions;

public sealed partial record SessionState
{
    /// <summary>
    /// The one way into the machine: the next state and the effects to perform, in order. Effects of
    /// the input come first, then what follows from the change of state whatever caused it
    /// (<see cref="Upkeep"/>: gauges, timers, a fresh token), and last what it did to a pairing, for
    /// the application's backend (<see cref="Announced"/>).
    /// </summary>
    public SessionTransition Handle(ISessionInput input)
    {
        var step = ThroughSocket(Step(input));
        var upkeep = Upkeep(this, step.State);
        return Announced(input, Tokened(upkeep is null ? step : step with { Effects = [.. step.Effects, .. upkeep] }));
    }

    /// <summary>
    /// Every token the client gets is numbered, in the order it gets them: each <c>session</c> message
    /// and each <see cref="SendToken"/> carries claims of the next generation, vouching for the state
    /// the transition ends in. A token asked for while no socket serves the client, or by a transition
    /// that ends the session, is not issued (the client gets one with its next <c>session</c>), so the
    /// latest issued is the latest the client can hold.
    /// </summary>
    private static SessionTransition Tokened(SessionTransition t)
    {
        var due = false;
        var stops = false;
        for (var i = 0; i < t.Effects.Count; i++)
        {
            due |= t.Effects[i] is SendToken or ToClient { Message: SessionStarted };
            stops |= t.Effects[i] is Stop;
        }
        if (!due) return t;
        var state = t.State;
        var issued = state.TokensIssued;
        var effects = new List<SessionEffect>(t.Effects.Count);
        foreach (var effect in t.Effects)
        {
            switch (effect)
            {
                case SendToken when stops || state.Away || state.Phase is Unattached:
                    break;
                case SendToken:
                    effects.Add(new ToClient(new TokenNotice(state.ClaimsOf(++issued))));
                    break;
                case ToClient { Message: SessionStarted started }:
                    effects.Add(new ToClient(started with { Token = state.ClaimsOf(++issued) }));
                    break;
                default:
                    effects.Add(effect);
                    break;
            }
        }
        return new(state with { TokensIssued = issued }, SessionEffects.Of(effects));
    }

    private SessionTransition Step(ISessionInput input) => input switch
    {
        // The hot path first.
        PartnerRelay m => On(m),
        ClientRelay m => On(m),
        ClientAck m => On(m),
        PartnerAck m => On(m),

        // From the client's connection.
        AttachConnection m => On(m),
        ResumeConnection m => SuccessorToken(On(m)),
        HandOver m => Next(this with { HandedOverTo = m.To == Id ? null : m.To }),
        ClientPair m => On(m),
        ClientLeave m => On(m),
        ClientOptIn m => On(m),
        ClientRtcStatus m => On(m),
        ConnectionClosed m => On(m),

        // From a room.
        WaitingForPeer m => On(m),
        PeerFound m => On(m),
        RoomBusy m => On(m),
        PartnerLeft m => On(m),
        SeatTaken m => On(m),
        CheckSeat m => On(m),

        // From the partner (or another session).
        PartnerHello m => On(m),
        PartnerGone m => On(m),
        PartnerGaveUp m => On(m),
        PartnerResumed m => SuccessorToken(On(m)),
        PartnerResumeAnswer m => SuccessorToken(On(m)),

        // From the actor: its watches, its timers, its end.
        RoomLost { OnStoppingNode: true } => Same(), // see RejoinLostRoom
        RoomLost m => RejoinLostRoom(m.Code),
        PartnerWatched m => Next(this with { WatchedPartner = m.Partner }),
        PartnerLost => WatchLost(),
        PeerTimeoutElapsed m => PeerTimedOut(m.Code),
        GraceElapsed => GraceExpired(),
        PartnerGraceElapsed m => PartnerGraceExpired(m.Partner),
        ConfirmElapsed => ConfirmExpired(),
        ReplayElapsed => ReplayWaitExpired(),
        JoinRetryElapsed => RetryJoin(),
        HelloAgainElapsed => HelloAgain(),
        TokenRefreshElapsed => Resumable ? Next(this, SendToken.Instance) : Same(),
        NoConnectionCame => Next(this, Stop.Instance),
        EntityStopped => Next(Quiet()),
        _ => Same(),
    };

    /// <summary>
    /// What the client hears goes through its socket. An absent client's notices are kept (relays and
    /// acks are not: the partner keeps those, and a resume asks for them) and told right after
    /// <c>session</c> when it comes back; what comes past <see cref="ClientState.MaxKeptNotices"/> is lost.
    /// </summary>
    private SessionTransition ThroughSocket(SessionTransition t)
    {
        if (t.State.Client is ClientState.Away away)
        {
            if (!t.Effects.Any(IsNotice)) return t;
            var kept = away.Kept;
            var effects = new List<SessionEffect>(t.Effects.Count);
            foreach (var effect in t.Effects)
            {
                if (!IsNotice(effect)) effects.Add(effect);
                else if (kept.Count < ClientState.MaxKeptNotices) kept = kept.Add(((ToClient)effect).Message);
            }
            return new(t.State with { Client = new ClientState.Away(kept) }, SessionEffects.Of(effects));
        }
        if (Client is ClientState.Away { Kept.Count: > 0 } was)
        {
            var effects = new List<SessionEffect>(t.Effects.Count + was.Kept.Count);
            foreach (var effect in t.Effects)
            {
                effects.Add(effect);
                if (effect is ToClient { Message: SessionStarted }) effects.AddRange(was.Kept.Select(m => new ToClient(m)));
            }
            return t with { Effects = SessionEffects.Of(effects) };
        }
        return t;
    }

    private static bool IsNotice(SessionEffect effect) => effect is ToClient { Message: not (AckNotice or RelayedNotice) };

    /// <summary>
    /// A successor's client holds the new socket's first token (an idle one) and may take that one on
    /// <c>resumed</c>: the token that counts comes right after it.
    /// </summary>
    private static SessionTransition SuccessorToken(SessionTransition t)
    {
        if (t.State.Predecessor is null || !t.State.Resumable) return t;
        var effects = new List<SessionEffect>(t.Effects.Count + 1);
        foreach (var effect in t.Effects)
        {
            effects.Add(effect);
            if (effect is ToClient { Message: ResumedNotice }) effects.Add(SendToken.Instance);
        }
        return t with { Effects = SessionEffects.Of(effects) };
    }

    /// <summary>A stopped entity counts in no gauge and runs no timer.</summary>
    private SessionState Quiet() => this with { Phase = new Idle(), Client = ClientState.Attached.Instance, WatchedPartner = null };

    /// <summary>
    /// What a change of state brings whatever caused it, or null for nothing: each gauge follows what
    /// it counts; each timer runs exactly while what it waits for lasts; the client gets a fresh token
    /// when it opts in and whenever what its token vouches for changes (a rebuilt session's
    /// <c>session</c> message carries one already). Every relay passes here: nothing is allocated
    /// unless something is due.
    /// </summary>
    private static List<SessionEffect>? Upkeep(SessionState before, SessionState after)
    {
        if (ReferenceEquals(before, after) || OnlyCountersMoved(before, after)) return null;

        List<SessionEffect>? effects = null;
        if (before.Phase is Waiting != after.Phase is Waiting)
        {
            Add(ref effects, new Gauge(SessionGauge.Waiting, after.Phase is Waiting ? 1 : -1));
            Add(ref effects, after.Phase is Waiting w
                ? new StartTimer(SessionTimer.PeerTimeout, new PeerTimeoutElapsed(w.Code))
                : new CancelTimer(SessionTimer.PeerTimeout));
        }
        if (before.Phase is Paired != after.Phase is Paired)
            Add(ref effects, new Gauge(SessionGauge.Paired, after.Phase is Paired ? 1 : -1));
        Toggle(ref effects, before.AwaitsRoom, after.AwaitsRoom, SessionTimer.JoinRetry, JoinRetryElapsed.Instance);
        if (before.Path == RtcPath.Upgraded != (after.Path == RtcPath.Upgraded))
            Add(ref effects, new Gauge(SessionGauge.Upgraded, after.Path == RtcPath.Upgraded ? 1 : -1));
        if (before.Away != after.Away)
            Add(ref effects, new Gauge(SessionGauge.Away, after.Away ? 1 : -1));
        Toggle(ref effects, before.Away, after.Away, SessionTimer.Grace, GraceElapsed.Instance);
        Toggle(ref effects, before.Confirming, after.Confirming, SessionTimer.Confirm, ConfirmElapsed.Instance);
        Toggle(ref effects, before.Replaying, after.Replaying, SessionTimer.Replay, ReplayElapsed.Instance);
        if (after.PartnerAway && !before.PartnerAway && after.Phase is Paired p)
            Add(ref effects, new StartTimer(SessionTimer.PartnerGrace, new PartnerGraceElapsed(p.Partner)));
        else if (!after.PartnerAway && before.PartnerAway)
            Add(ref effects, new CancelTimer(SessionTimer.PartnerGrace));

        Toggle(ref effects, before.Resumable, after.Resumable, SessionTimer.TokenRefresh, TokenRefreshElapsed.Instance);
        var optedIn = after.Resumable && !before.Resumable && before.Phase is not Unattached;
        if (optedIn || (after.Resumable && before.Resumable && before.Claims != after.Claims && !after.Away))
            Add(ref effects, SendToken.Instance);

        Toggle(ref effects, before.Helloing, after.Helloing, SessionTimer.HelloAgain, HelloAgainElapsed.Instance);
        return effects;
    }

    /// <summary>
    /// The same pairing, where only what relays and acks move changed: nothing is due (the hot path,
    /// where a relay or an ack keeps the very phase and client and changes only <see cref="Flow"/>).
    /// </summary>
    private static bool OnlyCountersMoved(SessionState before, SessionState after) =>
        ReferenceEquals(before.Client, after.Client) && before.WatchedPartner == after.WatchedPartner
        && (ReferenceEquals(before.Phase, after.Phase) // all that upkeep reads is the phase, the client and the watch
            || (before.Phase is Paired was && after.Phase is Paired now && was.Equals(now)
                && was.Path == now.Path && was.Progress == now.Progress && was.PartnerAway == now.PartnerAway
                && was.Rejoining == now.Rejoining));

    private static void Add(ref List<SessionEffect>? effects, SessionEffect effect) => (effects ??= []).Add(effect);

    private static void Toggle(ref List<SessionEffect>? effects, bool before, bool after, SessionTimer timer, ISessionInput fires)
    {
        if (after && !before) Add(ref effects, new StartTimer(timer, fires));
        else if (!after && before) Add(ref effects, new CancelTimer(timer));
    }

    /// <summary>A join (or a re-join of a lost room) the room has not answered yet: asked again until it does.</summary>
    private bool AwaitsRoom => Phase is Joining || Rejoining;

    /// <summary>
    /// Paired, but the actor watches no partner yet: hello again (see <see cref="HelloAgain"/>) until
    /// the partner's own hello, which normally comes within milliseconds of the pairing, or the pairing ends.
    /// </summary>
    private bool Helloing => Phase is Paired p && !Confirming && WatchedPartner != p.Partner;
}
