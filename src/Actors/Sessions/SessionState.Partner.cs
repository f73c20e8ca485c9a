using static SocketPeer.Actors.Sessions.SessionEffect;
using static SocketPeer.Actors.Sessions.SessionPhase;

namespace SocketPeer.Actors.Sessions;

/// <summary>What the partner's session brings: its relays and acks, its hellos, its loss, its giving up.</summary>
public sealed partial record SessionState
{
    private SessionTransition On(PartnerRelay relay) => Phase switch
    {
        Paired p when p.Partner == relay.From && p.Code == relay.Code && p.Carries(relay) =>
            // Duplicates (a replay overlapping what was delivered), anything while the client is away
            // and anything while a resume is in progress are dropped here: the sender keeps what a
            // resumable client has not acknowledged.
            (relay.Seq > 0 && relay.Seq <= Flow.InSeq) || Away || p.Progress is not ResumeProgress.None
                ? Same()
                : Next(Updated(Flow with { InSeq = Math.Max(Flow.InSeq, relay.Seq) }), new ToClient(Delivered(relay))),
        Joining j when j.Code == relay.Code && j.Early.Count < MaxEarlyRelays =>
            Next(Updated(j with { Early = j.Early.Add(relay) })),
        Waiting w when w.Code == relay.Code && w.Early.Count < MaxEarlyRelays =>
            Next(Updated(w with { Early = w.Early.Add(relay) })),
        Unattached => Next(this, new ToPartner(new PartnerGone(relay.From, Id)), Stop.Instance),
        _ => Same(), // not from our partner: nobody else's message ever reaches this client
    };

    private SessionTransition On(PartnerAck ack)
    {
        if (Phase is not Paired p || p.Partner != ack.From) return Same();
        var next = Updated(Flow.Trimmed(ack.Seq));
        return Resumable ? Next(next, new ToClient(new AckNotice(ack.Seq))) : Next(next);
    }

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
    private SessionTransition HelloAgain() => Phase is Paired { Confirming: false } p
        ? Next(this, new ToPartner(new PartnerHello(p.Partner, Id, p.Code, AskBack: true)))
        : Same();

    /// <summary>Our partner's session is gone and a fresh incarnation answered in its place.</summary>
    private SessionTransition On(PartnerGone gone) => LosePartner(gone.From);

    /// <summary>The partner entity the actor watched stopped: it watches none now.</summary>
    private SessionTransition WatchLost() => WatchedPartner is { } partner
        ? (this with { WatchedPartner = null }).LosePartner(partner)
        : Same();

    /// <summary>
    /// The partner's session stopped (its node died, or it ended before the room told us). A resumable
    /// partner is waited for through its grace period; any other is given up on at once.
    /// </summary>
    private SessionTransition LosePartner(SessionId partner)
    {
        if (Phase is not Paired p || p.Partner != partner || p.Confirming) return Same();
        return p.PartnerResumable ? Next(Updated(p with { PartnerAway = true })) : GiveUpOnPartner(p);
    }

    /// <summary>The partner's grace period ran out without its client coming back.</summary>
    private SessionTransition PartnerGraceExpired(SessionId partner) =>
        Phase is Paired { PartnerAway: true } p && p.Partner == partner ? GiveUpOnPartner(p) : Same();

    /// <summary>
    /// The pairing is over on our side: the client hears <c>peer.left</c> and waits in the room again;
    /// the room drops the partner (its answer, <see cref="PartnerLeft"/>, then finds us waiting).
    /// </summary>
    private SessionTransition GiveUpOnPartner(Paired p) =>
        Next(Enter(new Waiting(p.Code, p.Attempt)),
            new ToClient(PeerLeftNotice.Instance),
            new ToRoom(new Rooms.LeaveRoom(p.Code, p.Partner)),
            new ToPartner(new PartnerGaveUp(p.Partner, Id)));

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
}
