using SocketPeer.Actors.Rooms;
using static SocketPeer.Actors.Sessions.SessionEffect;
using static SocketPeer.Actors.Sessions.SessionPhase;

namespace SocketPeer.Actors.Sessions;

/// <summary>Resume (docs/protocol.md, Resume; docs/failover.md): taking a session back, rebuilding it, succeeding it.</summary>
public sealed partial record SessionState
{
    /// <summary>
    /// Why this session does not take <paramref name="resume"/> back, or null when it does
    /// (docs/protocol.md, "Which token resumes"). A live session takes only its latest token or the
    /// one before it. A new entity has no record of its tokens: it is rebuilt from a paired or
    /// waiting token (the partner or the room still holds what it had, and a paired one counts only
    /// once the partner confirms it), but not from an idle one: an idle session holds nothing, and
    /// one whose socket closed has ended, so the socket's own session serves as well. A resume for
    /// another session (succession) is the socket's own session's to take.
    /// </summary>
    public ResumeRefusal? Refuses(ResumeConnection resume)
    {
        if (resume.Claims.Session != Id) return null;
        if (Phase is Unattached) return resume.Claims.State == ResumeState.Idle ? ResumeRefusal.Ended : null;
        return resume.Claims.Generation < TokensIssued - 1 ? ResumeRefusal.Superseded : null;
    }

    /// <summary>A new connection takes this session back (see docs/protocol.md, Resume).</summary>
    private SessionTransition On(ResumeConnection resume)
    {
        if (Refuses(resume) is not null) return Same();
        if (resume.Claims.Session != Id)
        {
            // This socket's own session succeeds the claimed one: it serves the socket from now on.
            var serving = this with { HandedOverTo = null };
            return Phase is Idle ? serving.Succeed(resume.Claims, resume.Received) : Next(serving);
        }
        if (Phase is Unattached)
            return Rebuild(resume.Claims, resume.Received);

        var next = this with { Client = ClientState.Resumable.Instance };
        var started = new ToClient(new SessionStarted(Id));
        SessionEffect[] back = Away && Phase.Room is { } room ? [new ToRoom(new MemberBack(room, Id))] : [];
        if (Phase is not Paired p)
            return Next(next, [started, new ToClient(new ResumedNotice(0, next.Claims.State)), .. back]);
        // The partner's session re-sends what our client has not got; everything our client sent
        // that this session took is here, so the client re-sends only what came after OutSeq.
        return Next(next.Updated(p with { Progress = p.Progress.ReplayAsked() }, Flow with { InSeq = resume.Received, Acked = resume.Received }),
        [
            started,
            new ToClient(new ResumedNotice(Flow.OutSeq, ResumeState.Paired)),
            new ToPartner(new PartnerResumed(p.Partner, Id, p.Code, resume.Received)),
            .. back,
        ]);
    }

    /// <summary>The entity was lost with its node: rebuild it from what the token vouches for.</summary>
    private SessionTransition Rebuild(ResumeClaims claims, long received)
    {
        var fresh = this with { Phase = new Idle(), Client = ClientState.Resumable.Instance, TokensIssued = claims.Generation };
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
    private SessionState ConfirmingPairing(PairCode code, SessionId partner, bool partnerResumable, long received,
        SessionId? predecessor = null)
    {
        var attempt = Joins + 1;
        return this with
        {
            Phase = new Paired(code, partner, attempt)
            {
                Progress = ResumeProgress.Unconfirmed,
                PartnerResumable = partnerResumable,
                Predecessor = predecessor,
            },
            Flow = new PairingFlow { InSeq = received, Acked = received },
            Joins = attempt,
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
        var successor = this with { Client = ClientState.Resumable.Instance };
        switch (claims.State)
        {
            case ResumeState.Waiting when claims.Code is { } code:
                var rejoin = successor.Join(code, replaces: claims.Session);
                return Next(rejoin.State, [new ToClient(new ResumedNotice(0, ResumeState.Waiting)), .. rejoin.Effects]);
            case ResumeState.Paired when claims is { Code: { } code, Partner: { } partner }:
                var confirming = successor.ConfirmingPairing(code, partner, claims.PartnerResumable, received, claims.Session);
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
            var repointed = Updated(
                successorOf with { Partner = resumed.From, PartnerPredecessor = predecessor },
                Flow with { Unacked = [.. Flow.Unacked.Select(m => m with { Session = resumed.From })] });
            return repointed.On(resumed with { Replaces = null });
        }
        if (Phase is not Paired p || p.Partner != resumed.From || p.Code != resumed.Code)
            return Next(this, new ToPartner(new PartnerResumeAnswer(resumed.From, Id, ResumeVerdict.Refused, 0)));

        // Everything after what its client has, in order; what it has is acknowledged by that.
        // A partner taken back by its client (rebuilt, or a successor) may hold another join attempt
        // than the room paired, and says none: its relays are no longer checked against one.
        var next = p with { PartnerAway = false, PartnerResumable = true, PartnerAttempt = 0 };
        var flow = Flow.Trimmed(resumed.Received);
        // What we hold of its messages: what our client acknowledged, when it acknowledges at all. A
        // rebuilt or successor partner has lost its copies, so its client re-sends from here; anything
        // between this and InSeq that did reach our client comes again and is dropped as a duplicate.
        var held = Resumable ? Flow.Acked : Flow.InSeq;
        var effects = new List<SessionEffect>
        {
            new ToPartner(new PartnerResumeAnswer(resumed.From, Id, ResumeVerdict.Accepted, held)),
        };
        effects.AddRange(flow.Unacked.Select(m => (SessionEffect)new ToPartner(m)));
        // Our own request may have reached an incarnation of the partner that is gone (lost with its
        // node, or a stray one that answered nothing useful): ask the one that just spoke. A second
        // answer and replay are harmless (sequence numbers drop what is already here).
        if (p.Replaying)
            effects.Add(new ToPartner(new PartnerResumed(p.Partner, Id, p.Code, Flow.InSeq)));
        if (p.Confirming)
        {
            // Both sessions were lost and rebuilt: each one's resume confirms the other.
            next = next with { Progress = p.Progress.Confirmed() };
            flow = flow with { OutSeq = resumed.Received };
            effects.Add(new ToClient(new ResumedNotice(resumed.Received, ResumeState.Paired)));
            effects.Add(new ToRoom(new JoinRoom(p.Code, Id, p.Attempt, Resumable, p.Partner, p.Predecessor)));
        }
        return Next(Updated(next, flow), effects.ToArray());
    }

    private SessionTransition On(PartnerResumeAnswer answer)
    {
        if (Phase is not Paired p || p.Partner != answer.From || p.Progress is ResumeProgress.None) return Same();
        if (answer.Verdict == ResumeVerdict.Refused)
            return ResumeFailed(Refusal.PairingEnded);
        // Answered: the replay, if any, comes next, in order, from the same sender.
        var next = p with { Progress = p.Progress.ReplayAnswered() };
        if (!p.Confirming || answer.Verdict != ResumeVerdict.Accepted)
            return Next(Updated(next)); // Unknown: the partner was lost too; its own resume confirms us (or the grace period ends it)
        return Next(Updated(next with { Progress = ResumeProgress.None }, Flow with { OutSeq = answer.Received }),
            new ToClient(new ResumedNotice(answer.Received, ResumeState.Paired)),
            new ToRoom(new JoinRoom(p.Code, Id, p.Attempt, Resumable, p.Partner, p.Predecessor)));
    }

    /// <summary>A rebuilt pairing the partner never confirmed within the grace period.</summary>
    private SessionTransition ConfirmExpired() => Confirming
        ? ResumeFailed(Refusal.PartnerDidNotReturn)
        : Same();

    /// <summary>The resume did not work out: the pairing (and its progress) is gone, the client is told why.</summary>
    private SessionTransition ResumeFailed(Refusal why) => Next(Enter(new Idle()), new ToClient(new RefusedNotice(why)));

    /// <summary>The partner never answered a resume (its node died meanwhile): take live relays again.</summary>
    private SessionTransition ReplayWaitExpired() => Phase is Paired { Replaying: true } p
        ? Next(Updated(p with { Progress = p.Progress.ReplayAnswered() }))
        : Same();
}
