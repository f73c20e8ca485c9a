using System.Collections.Immutable;
using SocketPeer.Actors.Rooms;
using static SocketPeer.Actors.Sessions.SessionEffect;
using static SocketPeer.Actors.Sessions.SessionPhase;

namespace SocketPeer.Actors.Sessions;

/// <summary>
/// One peer's signalling state, pure: each <c>Handle</c> returns the next state and the effects
/// to perform. The actor (<see cref="PeerSessionActor"/>) only receives, calls it and delivers.
/// </summary>
/// <param name="Early">
/// Relays that reached this session before the room's <see cref="PeerFound"/> did (the room and the
/// partner are different senders, so nothing orders them across nodes). Bounded by
/// <see cref="MaxEarlyRelays"/>; delivered once the pairing is confirmed, dropped otherwise.
/// </param>
public sealed partial record SessionState(SessionId Id, SessionPhase Phase, ImmutableList<PartnerRelay> Early, RtcPath? Path)
{
    public const int MaxEarlyRelays = 32;

    /// <summary>Joins sent so far: numbers each <see cref="JoinRoom"/> so stale answers are recognised.</summary>
    public long Joins { get; init; }

    /// <summary>Where the client stands: attached, attached and resumable, or away.</summary>
    public ClientState Client { get; init; }

    /// <summary>The client opted into resume: the session outlives its socket for the grace period.</summary>
    public bool Resumable => Client is not ClientState.Attached;

    /// <summary>A resumable session whose socket is gone, waiting (the grace period) for its client.</summary>
    public bool Away => Client is ClientState.Away;

    /// <summary>The partner keeps its pairing through a reconnect: keep what is sent to it until it acks.</summary>
    public bool PartnerResumable { get; init; }

    /// <summary>The partner's session was lost (its node died); its client may still resume it.</summary>
    public bool PartnerAway { get; init; }

    /// <summary>How far a resume of this pairing has got (see <see cref="ResumeProgress"/>).</summary>
    public ResumeProgress Progress { get; init; }

    /// <summary>Rebuilt from a token; the partner has not confirmed the pairing yet.</summary>
    public bool Confirming => Progress is ResumeProgress.Unconfirmed or ResumeProgress.AwaitingPartnerResume;

    /// <summary>
    /// This session asked its partner to replay (<see cref="PartnerResumed"/>, sent on a resume and on
    /// a rebuild) and has no answer yet: live relays are dropped until it comes.
    /// </summary>
    public bool Replaying => Progress is ResumeProgress.AwaitingReplay or ResumeProgress.Unconfirmed;

    /// <summary>The partner whose entity the actor watches (it said hello, or answered a resume), if any.</summary>
    public SessionId? WatchedPartner { get; init; }

    /// <summary>
    /// The session this connection's socket serves instead (it resumed that one, <see cref="HandOver"/>):
    /// the socket's end is passed on to it, and this session stops.
    /// </summary>
    public SessionId? HandedOverTo { get; init; }

    /// <summary>
    /// The session this one succeeds (its node is unreachable): the room seat to take over. Set by
    /// <see cref="Succeed"/>, cleared when the phase changes.
    /// </summary>
    public SessionId? Predecessor { get; init; }

    /// <summary>
    /// The session our partner's successor took over from (<see cref="PartnerResumed.Replaces"/>), for
    /// the rest of this pairing: a rebuilt room may still pair us with it before the successor claims
    /// its seat, and that is not a new partner.
    /// </summary>
    public SessionId? PartnerPredecessor { get; init; }

    /// <summary>
    /// This session joined its room again (the room was lost with its node) and has no answer yet.
    /// Its join may have gone to the dead node's region before that region learnt of the loss, so it
    /// is asked again (<see cref="RetryJoin"/>) until the rebuilt room answers.
    /// </summary>
    public bool Rejoining { get; init; }

    /// <summary>The highest sequence number this pairing took from our client.</summary>
    public long OutSeq { get; init; }

    /// <summary>The highest sequence number from the partner delivered to our client.</summary>
    public long InSeq { get; init; }

    /// <summary>
    /// The highest sequence number from the partner our client acknowledged (or, resuming, said it
    /// has). <see cref="InSeq"/> counts what was handed to the connection, which a socket that died
    /// unnoticed never wrote: a partner that lost its copies (a rebuilt or successor session) must
    /// be told this, or its client would not re-send what our client never got.
    /// </summary>
    public long Acked { get; init; }

    /// <summary>Our relayed messages the partner's client has not acknowledged (resumable partners only).</summary>
    public ImmutableQueue<PartnerRelay> Unacked { get; init; } = [];

    public int UnackedCount { get; init; }

    /// <summary>How many unacknowledged messages may wait for an absent partner.</summary>
    public int BufferLimit { get; init; } = ResumeSettings.DefaultBufferMessages;

    public static SessionState New(SessionId id, int bufferLimit = ResumeSettings.DefaultBufferMessages) =>
        new(id, new Unattached(), [], null) { BufferLimit = bufferLimit };

    /// <summary>What a resume token issued now would vouch for.</summary>
    public (ResumeState State, PairCode? Code, SessionId? Partner) Claims => Phase switch
    {
        Paired p => (ResumeState.Paired, p.Code, p.Partner),
        Joining j => (ResumeState.Waiting, j.Code, null),
        Waiting w => (ResumeState.Waiting, w.Code, null),
        _ => (ResumeState.Idle, null, null),
    };

    private SessionTransition On(AttachConnection _) => Phase is Unattached
        ? Next(this with { Phase = new Idle() }, new ToClient(new SessionStarted(Id)))
        : Same();

    private SessionTransition On(ClientPair pair) => Phase switch
    {
        Unattached => Same(),
        Idle => Join(pair.Code),
        // A second `pair` with the same code is idempotent, so a socket never pairs with itself.
        _ when Phase.Room == pair.Code => Same(),
        _ => Join(pair.Code, leaving: Phase.Room),
    };

    private SessionTransition Join(PairCode code, PairCode? leaving = null, SessionId? replaces = null)
    {
        var attempt = Joins + 1;
        var next = Enter(new Joining(code, attempt)) with { Joins = attempt, Predecessor = replaces };
        var join = new ToRoom(new JoinRoom(code, Id, attempt, Resumable, Replaces: replaces));
        return leaving is { } old ? Next(next, new ToRoom(new LeaveRoom(old, Id)), join) : Next(next, join);
    }

    private SessionTransition On(ClientLeave _) => Phase.Room is { } room
        ? Next(Enter(new Idle()), new ToRoom(new LeaveRoom(room, Id)))
        : Next(this, new ToClient(new RefusedNotice(Refusal.NotInRoom)));

    private SessionTransition On(ClientRelay relay)
    {
        if (Phase is not Paired paired)
            return Next(this, new ToClient(new RefusedNotice(Refusal.NotPaired, relay.Kind)));
        if (relay.Seq > 0 && relay.Seq <= OutSeq)
            return Same(); // a re-send after a resume of something the partner's side already has
        var seq = relay.Seq > 0 ? relay.Seq : OutSeq + 1;
        var message = new PartnerRelay(paired.Partner, Id, paired.Code, relay.Kind, relay.Payload, seq);
        if (!PartnerResumable)
            return Next(this with { OutSeq = seq }, new ToPartner(message));
        if (UnackedCount >= BufferLimit)
            return GiveUpOnPartner(paired); // its client has not acknowledged for too long (it is away)
        return Next(this with { OutSeq = seq, Unacked = Unacked.Enqueue(message), UnackedCount = UnackedCount + 1 },
            new ToPartner(message));
    }

    /// <summary>The client sent <c>session {"resume": true}</c>.</summary>
    private SessionTransition On(ClientOptIn _) => Resumable || Phase is Unattached
        ? Same()
        : Next(this with { Client = ClientState.Resumable });

    private SessionTransition On(ClientAck ack)
    {
        if (Phase is not Paired p || ack.Seq <= 0) return Same();
        var acked = Math.Min(ack.Seq, InSeq);
        return Next(this with { Acked = Math.Max(Acked, acked) }, new ToPartner(new PartnerAck(p.Partner, Id, acked)));
    }

    private SessionTransition On(PartnerAck ack)
    {
        if (Phase is not Paired p || p.Partner != ack.From) return Same();
        var (unacked, count) = Trim(ack.Seq);
        var next = this with { Unacked = unacked, UnackedCount = count };
        return Resumable ? Next(next, new ToClient(new AckNotice(ack.Seq))) : Next(next);
    }

    private (ImmutableQueue<PartnerRelay>, int) Trim(long through)
    {
        var queue = Unacked;
        var count = UnackedCount;
        while (!queue.IsEmpty && queue.Peek().Seq <= through)
        {
            queue = queue.Dequeue();
            count--;
        }
        return (queue, count);
    }

    private SessionTransition On(ClientRtcStatus status) =>
        Phase is Paired ? Next(this with { Path = status.Path }) : Same();

    private SessionTransition On(ConnectionClosed closed)
    {
        // The socket ends here (its first session); the session it resumed hears it after its last message.
        if (HandedOverTo is { } successor)
            return Next(this, new ToPartner(new ConnectionClosed(successor, closed.Connection)), Stop.Instance);
        if (Resumable && Phase.Room is { } room)
            return Away ? Same() : Next(this with { Client = ClientState.Away }, new ToRoom(new MemberAway(room, Id))); // keep the slot through the grace period
        return End();
    }

    /// <summary>The grace period of an absent client ran out.</summary>
    private SessionTransition GraceExpired() => Away ? End() : Same();

    /// <summary>The session is over: out of its room (the partner hears <c>peer.left</c>), then stop.</summary>
    private SessionTransition End() => Phase.Room is { } room
        ? Next(Enter(new Idle()) with { Client = NotAway }, new ToRoom(new LeaveRoom(room, Id)), Stop.Instance)
        : Next(this, Stop.Instance);

    /// <summary>
    /// A newcomer took our seat (the partner has been told): our client was away, or this session did
    /// not vouch for the seat in time (its node was unreachable, or slow). An attached client hears
    /// <c>peer.left</c> and then <c>busy</c>, the original protocol's word for "this code is taken":
    /// the original client closes and pairs again after its back-off.
    /// </summary>
    private SessionTransition On(SeatTaken taken)
    {
        if (Phase.Room != taken.Code) return Same();
        return Away
            ? Next(Enter(new Idle()) with { Client = NotAway }, Stop.Instance)
            : Next(Enter(new Idle()), new ToClient(PeerLeftNotice.Instance), new ToClient(BusyNotice.Instance));
    }

    /// <summary>
    /// The room asks whether we still hold our seat (a newcomer knocks on a full room). Attached and in
    /// that room: yes. Away, elsewhere, or a fresh incarnation made by this very question (the session
    /// was lost with its node): no, and the incarnation stops.
    /// </summary>
    private SessionTransition On(CheckSeat check)
    {
        if (Phase is Unattached) return Next(this, new ToRoom(new SeatVacant(check.Code, Id)), Stop.Instance);
        return Phase.Room == check.Code && !Away
            ? Next(this, new ToRoom(new SeatHeld(check.Code, Id)))
            : Next(this, new ToRoom(new SeatVacant(check.Code, Id)));
    }

    /// <summary>
    /// No answer to our join yet: ask again, with the same attempt (a room treats that as the same
    /// join). Sharding delivers at most once: a join sent to a room whose node just died is lost, and
    /// the room is rebuilt on a survivor only when that node is removed.
    /// </summary>
    private SessionTransition RetryJoin() => Phase switch
    {
        Joining j => Next(this, new ToRoom(new JoinRoom(j.Code, Id, j.Attempt, Resumable, Replaces: Predecessor))),
        _ when Rejoining && Phase.Room is { } code => RejoinLostRoom(code),
        _ => Same(),
    };

    /// <summary>
    /// The partner ended the pairing on its side and took this session out of the room. Absent, this
    /// session ends; attached (its socket died unnoticed yet, or it came back just as the partner's
    /// patience ran out) its client hears <c>peer.left</c>, instead of relaying to a partner that drops
    /// everything it sends, and the session joins the room again: <c>peer.left</c> means "you are
    /// waiting again" (docs/protocol.md), and the partner that gave up waits there too.
    /// </summary>
    private SessionTransition On(PartnerGaveUp gaveUp)
    {
        if (Phase is not Paired p || p.Partner != gaveUp.From) return Same();
        if (Away) return End();
        var rejoin = Enter(new Idle()).Join(p.Code);
        return Next(rejoin.State, [new ToClient(PeerLeftNotice.Instance), .. rejoin.Effects]);
    }

    /// <summary>A room's answer about our current join: a re-join is answered, no need to ask again.</summary>
    private SessionState Answered(PairCode code, long attempt) =>
        Rejoining && Phase.IsAbout(code, attempt) ? this with { Rejoining = false } : this;

    private SessionTransition On(WaitingForPeer waiting) => Answered(waiting.Code, waiting.Attempt).WaitingFor(waiting);

    private SessionTransition WaitingFor(WaitingForPeer waiting) => Phase switch
    {
        Joining when Phase.IsAbout(waiting.Code, waiting.Attempt) =>
            Next(this with { Phase = new Waiting(waiting.Code, waiting.Attempt) }),
        Unattached => Next(this, new ToRoom(new MemberAway(waiting.Code, Id)), Stop.Instance), // see Orphaned
        _ => Same(), // stale: the answer to a join we have since abandoned
    };

    private SessionTransition On(PeerFound found) => Answered(found.Code, found.Attempt).Found(found);

    private SessionTransition Found(PeerFound found)
    {
        switch (Phase)
        {
            case Joining or Waiting when Phase.IsAbout(found.Code, found.Attempt):
                var early = Early.Where(r => r.From == found.Partner && r.Code == found.Code).ToList();
                var deliver = early.Select(r => (SessionEffect)new ToClient(Delivered(r)));
                var inSeq = early.Count == 0 ? 0 : early.Max(r => r.Seq);
                var paired = NewPairing(new Paired(found.Code, found.Partner, found.Attempt), found.PartnerResumable) with { InSeq = inSeq };
                return Next(paired,
                [
                    new ToClient(new PeerFoundNotice(found.Initiator)),
                    .. deliver,
                    new ToPartner(new PartnerHello(found.Partner, Id, found.Code)),
                ]);
            case Paired p when p.IsAbout(found.Code, found.Attempt) && p.Partner == found.Partner:
                return Same(); // the room repeated itself; the client already heard peer.found
            case Paired p when p.IsAbout(found.Code, found.Attempt) && found.Partner == PartnerPredecessor:
                return Same(); // a rebuilt room paired us with the session our partner succeeded; its successor takes that seat
            case Paired p when p.IsAbout(found.Code, found.Attempt):
                // A partner we missed the departure of was replaced: the client must hear both.
                return Next(NewPairing(new Paired(found.Code, found.Partner, found.Attempt), found.PartnerResumable),
                    new ToClient(PeerLeftNotice.Instance), new ToClient(new PeerFoundNotice(found.Initiator)),
                    new ToPartner(new PartnerHello(found.Partner, Id, found.Code)));
            case Unattached:
                return Orphaned(found);
            default:
                return Same();
        }
    }

    private SessionTransition On(RoomBusy busy) => Answered(busy.Code, busy.Attempt).Busy(busy);

    private SessionTransition Busy(RoomBusy busy) => Phase switch
    {
        Joining when Phase.IsAbout(busy.Code, busy.Attempt) => Next(Enter(new Idle()), new ToClient(BusyNotice.Instance)),
        // A lost room was rebuilt by two others before we re-joined it: our pairing is gone.
        Paired or Waiting when Phase.IsAbout(busy.Code, busy.Attempt) =>
            Next(Enter(new Idle()), new ToClient(PeerLeftNotice.Instance), new ToClient(BusyNotice.Instance)),
        _ => Same(),
    };

    private SessionTransition On(PartnerLeft left) => Phase switch
    {
        Paired p when p.IsAbout(left.Code, left.Attempt) && p.Partner == left.Partner =>
            Next(Enter(new Waiting(left.Code, left.Attempt)), new ToClient(PeerLeftNotice.Instance)),
        Unattached => Next(this, Stop.Instance),
        _ => Same(),
    };

    private SessionTransition On(PartnerRelay relay) => Phase switch
    {
        Paired p when p.Partner == relay.From && p.Code == relay.Code =>
            // Duplicates (a replay overlapping what was delivered) and anything while the client is
            // away are dropped here: the sender keeps what a resumable client has not acknowledged.
            (relay.Seq > 0 && relay.Seq <= InSeq) || Away || Replaying || Confirming
                ? Same()
                : Next(this with { InSeq = Math.Max(InSeq, relay.Seq) }, new ToClient(Delivered(relay))),
        Joining or Waiting when Phase.Room == relay.Code && Early.Count < MaxEarlyRelays =>
            Next(this with { Early = Early.Add(relay) }),
        Unattached => Next(this, new ToPartner(new PartnerGone(relay.From, Id)), Stop.Instance),
        _ => Same(), // not from our partner: nobody else's message ever reaches this client
    };

    /// <summary>
    /// A hello reached this session: an unattached incarnation says the session it was is gone (see
    /// <see cref="PartnerGone"/>); any other session has nothing to say (its actor watches the sender).
    /// </summary>
    private SessionTransition On(PartnerHello hello) => Phase switch
    {
        Unattached => Next(this, new ToPartner(new PartnerGone(hello.From, Id))),
        Paired p when hello.AskBack && p.Partner == hello.From && p.Code == hello.Code =>
            Next(this, new ToPartner(new PartnerHello(hello.From, Id, p.Code))),
        _ => Same(),
    };

    /// <summary>
    /// Paired, but the actor watches no partner yet (it watches the sender of the partner's hello):
    /// say hello again and ask for one back. Sent while that lasts, so a partner lost with its node is
    /// noticed (its watch fires, or a fresh incarnation answers <see cref="PartnerGone"/>) even when
    /// no relay ever goes its way.
    /// </summary>
    private SessionTransition HelloAgain() => Phase is Paired p && !Confirming
        ? Next(this, new ToPartner(new PartnerHello(p.Partner, Id, p.Code, AskBack: true)))
        : Same();

    /// <summary>Our partner's session is gone and a fresh incarnation answered in its place.</summary>
    private SessionTransition On(PartnerGone gone) => LosePartner(gone.From);

    /// <summary>A new connection takes this session back (see docs/protocol.md, Resume).</summary>
    private SessionTransition On(ResumeConnection resume)
    {
        if (resume.Claims.Session != Id)
        {
            // This socket's own session succeeds the claimed one: it serves the socket from now on.
            var serving = this with { HandedOverTo = null };
            return Phase is Idle ? serving.Succeed(resume.Claims, resume.Received) : Next(serving);
        }
        if (Phase is Unattached)
            return Rebuild(resume.Claims, resume.Received);

        var next = this with { Client = ClientState.Resumable };
        var started = new ToClient(new SessionStarted(Id));
        SessionEffect[] back = Away && Phase.Room is { } room ? [new ToRoom(new MemberBack(room, Id))] : [];
        if (Phase is not Paired p)
            return Next(next, [started, new ToClient(new ResumedNotice(OutSeq, next.Claims.State)), .. back]);
        // The partner's session re-sends what our client has not got; everything our client sent
        // that this session took is here, so the client re-sends only what came after OutSeq.
        return Next(next with { InSeq = resume.Received, Acked = resume.Received, Progress = ReplayAsked },
        [
            started,
            new ToClient(new ResumedNotice(OutSeq, ResumeState.Paired)),
            new ToPartner(new PartnerResumed(p.Partner, Id, p.Code, resume.Received)),
            .. back,
        ]);
    }

    /// <summary>The entity was lost with its node: rebuild it from what the token vouches for.</summary>
    private SessionTransition Rebuild(ResumeClaims claims, long received)
    {
        var fresh = this with { Phase = new Idle(), Client = ClientState.Resumable };
        var started = new ToClient(new SessionStarted(Id));
        switch (claims.State)
        {
            case ResumeState.Waiting when claims.Code is { } code:
                var rejoin = fresh.Join(code);
                return Next(rejoin.State, [started, new ToClient(new ResumedNotice(0, ResumeState.Waiting)), .. rejoin.Effects]);
            case ResumeState.Paired when claims is { Code: { } code, Partner: { } partner }:
                // Paired on the token's word; `resumed` waits for the partner to confirm.
                return Next(fresh.ConfirmingPairing(code, partner, claims.PartnerResumable, received), started, new ToPartner(new PartnerResumed(partner, Id, code, received)));
            default:
                return Next(fresh, started, new ToClient(new ResumedNotice(0, ResumeState.Idle)));
        }
    }

    /// <summary>
    /// Paired on a token's word, with a new join attempt: the partner has not confirmed yet, and what
    /// it replays waits for its answer. <paramref name="received"/> is what our client has of its messages.
    /// </summary>
    private SessionState ConfirmingPairing(PairCode code, SessionId partner, bool partnerResumable, long received)
    {
        var attempt = Joins + 1;
        return this with
        {
            Phase = new Paired(code, partner, attempt),
            Joins = attempt,
            Progress = ResumeProgress.Unconfirmed,
            PartnerResumable = partnerResumable,
            InSeq = received,
            Acked = received,
        };
    }

    /// <summary>
    /// This fresh, attached session takes over from <paramref name="claims"/>' session, whose node is
    /// unreachable (the gateway's decision): the same pairing under a new id. The partner is asked to
    /// confirm and re-point (<see cref="PartnerResumed.Replaces"/>), the room to hand over the seat
    /// (<see cref="JoinRoom.Replaces"/>). The client learns the new id from its next token.
    /// </summary>
    private SessionTransition Succeed(ResumeClaims claims, long received)
    {
        var successor = this with { Client = ClientState.Resumable };
        switch (claims.State)
        {
            case ResumeState.Waiting when claims.Code is { } code:
                var rejoin = successor.Join(code, replaces: claims.Session);
                return Next(rejoin.State, [new ToClient(new ResumedNotice(0, ResumeState.Waiting)), .. rejoin.Effects]);
            case ResumeState.Paired when claims is { Code: { } code, Partner: { } partner }:
                var confirming = successor.ConfirmingPairing(code, partner, claims.PartnerResumable, received);
                confirming = confirming with { Predecessor = claims.Session };
                return Next(confirming, new ToPartner(new PartnerResumed(partner, Id, code, received, claims.Session)));
            default:
                return Next(successor, new ToClient(new ResumedNotice(0, ResumeState.Idle)));
        }
    }

    /// <summary>Our partner's client took its session back (possibly rebuilt on another node, or succeeded).</summary>
    private SessionTransition On(PartnerResumed resumed)
    {
        if (Phase is Unattached)
            return Next(this, new ToPartner(new PartnerResumeAnswer(resumed.From, Id, ResumeVerdict.Unknown, 0)), Stop.Instance);
        if (Phase is Paired successorOf && successorOf.Code == resumed.Code && resumed.Replaces is { } predecessor
            && successorOf.Partner == predecessor && predecessor != resumed.From)
        {
            // Our partner's node is unreachable and its client resumed into a successor: point the
            // pairing, and what we keep for it, at the successor; then it is an ordinary resume.
            var repointed = this with
            {
                Phase = successorOf with { Partner = resumed.From },
                PartnerPredecessor = predecessor,
                Unacked = [.. Unacked.Select(m => m with { Session = resumed.From })],
            };
            return repointed.On(resumed with { Replaces = null });
        }
        if (Phase is not Paired p || p.Partner != resumed.From || p.Code != resumed.Code)
            return Next(this, new ToPartner(new PartnerResumeAnswer(resumed.From, Id, ResumeVerdict.Refused, 0)));

        // Everything after what its client has, in order; what it has is acknowledged by that.
        var (unacked, count) = Trim(resumed.Received);
        var next = this with { Unacked = unacked, UnackedCount = count, PartnerAway = false, PartnerResumable = true };
        // What we hold of its messages: what our client acknowledged, when it acknowledges at all. A
        // rebuilt or successor partner has lost its copies, so its client re-sends from here; anything
        // between this and InSeq that did reach our client comes again and is dropped as a duplicate.
        var held = Resumable ? Acked : InSeq;
        var effects = new List<SessionEffect>
        {
            new ToPartner(new PartnerResumeAnswer(resumed.From, Id, ResumeVerdict.Accepted, held)),
        };
        effects.AddRange(unacked.Select(m => (SessionEffect)new ToPartner(m)));
        // Our own request may have reached an incarnation of the partner that is gone (lost with its
        // node, or a stray one that answered nothing useful): ask the one that just spoke. A second
        // answer and replay are harmless (sequence numbers drop what is already here).
        if (Replaying)
            effects.Add(new ToPartner(new PartnerResumed(p.Partner, Id, p.Code, InSeq)));
        if (Confirming)
        {
            // Both sessions were lost and rebuilt: each one's resume confirms the other.
            next = next with { Progress = Confirmed, OutSeq = resumed.Received };
            effects.Add(new ToClient(new ResumedNotice(resumed.Received, ResumeState.Paired)));
            effects.Add(new ToRoom(new JoinRoom(p.Code, Id, p.Attempt, Resumable, p.Partner, Predecessor)));
        }
        return Next(next, effects.ToArray());
    }

    private SessionTransition On(PartnerResumeAnswer answer)
    {
        if (Phase is not Paired p || p.Partner != answer.From || !(Replaying || Confirming)) return Same();
        if (answer.Verdict == ResumeVerdict.Refused)
            return ResumeFailed(Refusal.PairingEnded);
        // Answered: the replay, if any, comes next, in order, from the same sender.
        var next = this with { Progress = ReplayAnswered };
        if (!Confirming || answer.Verdict != ResumeVerdict.Accepted)
            return Next(next); // Unknown: the partner was lost too; its own resume confirms us (or the grace period ends it)
        return Next(next with { Progress = ResumeProgress.None, OutSeq = answer.Received },
            new ToClient(new ResumedNotice(answer.Received, ResumeState.Paired)),
            new ToRoom(new JoinRoom(p.Code, Id, p.Attempt, Resumable, p.Partner, Predecessor)));
    }

    /// <summary>A rebuilt pairing the partner never confirmed within the grace period.</summary>
    private SessionTransition ConfirmExpired() => Confirming
        ? ResumeFailed(Refusal.PartnerDidNotReturn)
        : Same();

    private SessionTransition ResumeFailed(Refusal why) =>
        Next(Enter(new Idle()) with { Progress = ResumeProgress.None }, new ToClient(new RefusedNotice(why)));

    /// <summary>The partner never answered a resume (its node died meanwhile): take live relays again.</summary>
    private SessionTransition ReplayWaitExpired() => Replaying ? Next(this with { Progress = ReplayAnswered }) : Same();

    /// <summary>The partner's session stopped (its node died, or it ended before the room told us).</summary>
    private SessionTransition WatchLost() => WatchedPartner is { } partner
        ? (this with { WatchedPartner = null }).LosePartner(partner)
        : Same();

    private SessionTransition LosePartner(SessionId partner)
    {
        if (Phase is not Paired p || p.Partner != partner || Confirming) return Same();
        return PartnerResumable ? Next(this with { PartnerAway = true }) : GiveUpOnPartner(p);
    }

    /// <summary>The partner's grace period ran out without its client coming back.</summary>
    private SessionTransition PartnerGraceExpired(SessionId partner) =>
        PartnerAway && Phase is Paired p && p.Partner == partner ? GiveUpOnPartner(p) : Same();

    /// <summary>
    /// The pairing is over on our side: the client hears <c>peer.left</c> and waits in the room again;
    /// the room drops the partner (its answer, <see cref="PartnerLeft"/>, then finds us waiting).
    /// </summary>
    private SessionTransition GiveUpOnPartner(Paired p) =>
        Next(Enter(new Waiting(p.Code, p.Attempt)),
            new ToClient(PeerLeftNotice.Instance),
            new ToRoom(new LeaveRoom(p.Code, p.Partner)),
            new ToPartner(new PartnerGaveUp(p.Partner, Id)));

    /// <summary>The room this session is in stopped (its node died, or it was handed off): join it again.</summary>
    private SessionTransition RejoinLostRoom(PairCode code) => Phase switch
    {
        Waiting w when w.Code == code =>
            Next(this with { Rejoining = true }, new ToRoom(new JoinRoom(code, Id, w.Attempt, Resumable))),
        Paired p when p.Code == code && !Confirming =>
            Next(this with { Rejoining = true }, new ToRoom(new JoinRoom(code, Id, p.Attempt, Resumable, p.Partner, Predecessor))),
        _ => Same(),
    };

    /// <summary>The peer timeout fired for <paramref name="code"/>.</summary>
    private SessionTransition PeerTimedOut(PairCode code) => Phase is Waiting w && w.Code == code
        ? Next(Enter(new Idle()),
            new ToRoom(new LeaveRoom(code, Id)),
            new ToClient(new RefusedNotice(Refusal.PeerTimeout, Code: code)))
        : Same();

    /// <summary>Leaves the current phase: early relays, the reported path and the pairing's numbers belong to it.</summary>
    private SessionState Enter(SessionPhase phase) => this with
    {
        // A re-join still unanswered stays so while the session stays in that room (a partner given
        // up on while the room was lost leaves us waiting there: the room must still hear of us).
        Rejoining = Rejoining && phase.Room == Phase.Room,
        Phase = phase,
        Early = [],
        Path = null,
        Progress = ReplayAnswered, // a rebuilt pairing stays unconfirmed until confirmed or failed
        Predecessor = null,
        PartnerPredecessor = null,
        OutSeq = 0,
        InSeq = 0,
        Acked = 0,
        Unacked = [],
        UnackedCount = 0,
        PartnerResumable = false,
        PartnerAway = false,
    };

    private SessionState NewPairing(Paired paired, bool partnerResumable) =>
        Enter(paired) with { PartnerResumable = partnerResumable };

    /// <summary>What the client gets for a relayed message: the number only if it asked for resume.</summary>
    private RelayedNotice Delivered(PartnerRelay relay) => new(relay.Kind, relay.Payload, Resumable ? relay.Seq : 0);

    /// <summary>
    /// A room counts this session as a member, but this incarnation has no connection: the session
    /// was lost with its node or handed off (often just after it re-joined a lost room), and its
    /// client may still resume it. So the seat is not given up here: it is marked away (a newcomer
    /// may take it; a resume takes it back), and the partner is introduced to this incarnation, which
    /// then stops: the partner sees it end and treats that like any lost partner (waits the grace
    /// period for a resumable one, gives up at once on one that is not). Leaving the room instead
    /// would tell the partner <c>peer.left</c> and refuse the resume a moment later.
    /// </summary>
    private SessionTransition Orphaned(PeerFound found) =>
        Next(this,
            new ToRoom(new MemberAway(found.Code, Id)),
            new ToPartner(new PartnerHello(found.Partner, Id, found.Code)),
            Stop.Instance);

    /// <summary>The client side once its socket is back, or the session ends: no longer away.</summary>
    private ClientState NotAway => Client is ClientState.Away ? ClientState.Resumable : Client;

    /// <summary>A replay asked for: on top of a confirmation still awaited, if any.</summary>
    private ResumeProgress ReplayAsked => Confirming ? ResumeProgress.Unconfirmed : ResumeProgress.AwaitingReplay;

    /// <summary>The partner answered (or will not): no replay awaited any more.</summary>
    private ResumeProgress ReplayAnswered => Progress switch
    {
        ResumeProgress.AwaitingReplay => ResumeProgress.None,
        ResumeProgress.Unconfirmed => ResumeProgress.AwaitingPartnerResume,
        var p => p,
    };

    /// <summary>The partner confirmed the pairing; a replay it has not answered yet is still awaited.</summary>
    private ResumeProgress Confirmed => Progress switch
    {
        ResumeProgress.Unconfirmed => ResumeProgress.AwaitingReplay,
        ResumeProgress.AwaitingPartnerResume => ResumeProgress.None,
        var p => p,
    };

    private SessionTransition Same() => new(this, []);

    private static SessionTransition Next(SessionState state, params SessionEffect[] effects) => new(state, effects);
}

/// <summary>A session after one input, and the effects its actor must perform, in order.</summary>
public sealed record SessionTransition(SessionState State, IReadOnlyList<SessionEffect> Effects);
