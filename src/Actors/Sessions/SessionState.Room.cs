using SocketPeer.Actors.Rooms;
using static SocketPeer.Actors.Sessions.SessionEffect;
using static SocketPeer.Actors.Sessions.SessionPhase;

namespace SocketPeer.Actors.Sessions;

/// <summary>What the room brings: its answers to our joins, its questions about our seat, its loss.</summary>
public sealed partial record SessionState
{
    /// <summary>A room's answer about our current join: a re-join is answered, no need to ask again.</summary>
    private SessionState Answered(PairCode code, long attempt) =>
        Phase is InRoom { Rejoining: true } room && room.IsAbout(code, attempt) ? Updated(room with { Rejoining = false }) : this;

    private SessionTransition On(WaitingForPeer waiting) => Answered(waiting.Code, waiting.Attempt).WaitingFor(waiting);

    private SessionTransition WaitingFor(WaitingForPeer waiting) => Phase switch
    {
        Joining j when j.IsAbout(waiting.Code, waiting.Attempt) =>
            Next(Updated(new Waiting(j.Code, j.Attempt) { Early = j.Early, Predecessor = j.Predecessor, Rejoining = j.Rejoining })),
        Unattached => Next(this, new ToRoom(new MemberAway(waiting.Code, Id)), Stop.Instance), // see Orphaned
        _ => Same(), // stale: the answer to a join we have since abandoned
    };

    private SessionTransition On(PeerFound found) => Answered(found.Code, found.Attempt).Found(found);

    private SessionTransition Found(PeerFound found)
    {
        switch (Phase)
        {
            case Joining or Waiting when Phase.IsAbout(found.Code, found.Attempt):
                var early = (Phase is Joining j ? j.Early : ((Waiting)Phase).Early)
                    .Where(r => r.From == found.Partner && r.Code == found.Code && Paired.Carries(r, found.Attempt, found.PartnerAttempt))
                    .ToList();
                var deliver = early.Select(r => (SessionEffect)new ToClient(Delivered(r)));
                var inSeq = early.Count == 0 ? 0 : early.Max(r => r.Seq);
                var paired = Enter(new Paired(found.Code, found.Partner, found.Attempt)
                {
                    PartnerResumable = found.PartnerResumable,
                    PartnerAttempt = found.PartnerAttempt,
                }).Updated(new PairingFlow { InSeq = inSeq });
                return Next(paired,
                [
                    new ToClient(new PeerFoundNotice(found.Initiator)),
                    .. deliver,
                    new ToPartner(new PartnerHello(found.Partner, Id, found.Code)),
                    .. Counted(found),
                ]);
            case Paired p when p.IsAbout(found.Code, found.Attempt) && p.Partner == found.Partner && !Repaired(p, found):
                return Same(); // the room repeated itself; the client already heard peer.found
            case Paired p when p.IsAbout(found.Code, found.Attempt) && found.Partner == p.PartnerPredecessor:
                return Same(); // a rebuilt room paired us with the session our partner succeeded; its successor takes that seat
            case Paired p when p.IsAbout(found.Code, found.Attempt):
                // A partner we missed the departure of was replaced (or left and joined again): the
                // client must hear both, and the new pairing numbers its relays afresh.
                return Next(Enter(new Paired(found.Code, found.Partner, found.Attempt)
                {
                    PartnerResumable = found.PartnerResumable,
                    PartnerAttempt = found.PartnerAttempt,
                }),
                [
                    new ToClient(PeerLeftNotice.Instance), new ToClient(new PeerFoundNotice(found.Initiator)),
                    new ToPartner(new PartnerHello(found.Partner, Id, found.Code)),
                    .. Counted(found),
                ]);
            case Unattached:
                return Orphaned(found);
            default:
                return Same();
        }
    }

    /// <summary>
    /// The room paired us with the same partner at another of its join attempts: it left and joined
    /// again, and we missed its leaving (the room's <see cref="PartnerLeft"/> was lost with the room).
    /// A re-join of a lost room keeps its attempt, so a repeat of our own pairing never looks like this.
    /// </summary>
    private static bool Repaired(Paired p, PeerFound found) =>
        p.PartnerAttempt != 0 && found.PartnerAttempt != 0 && p.PartnerAttempt != found.PartnerAttempt;

    /// <summary>A pair is counted once: by its initiator.</summary>
    private static SessionEffect[] Counted(PeerFound found) => found.Initiator ? [PairFormed.Instance] : [];

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
        Joining j => Next(this, new ToRoom(new JoinRoom(j.Code, Id, j.Attempt, Resumable, Replaces: j.Predecessor))),
        InRoom { Rejoining: true } room => RejoinLostRoom(room.Code),
        _ => Same(),
    };

    /// <summary>
    /// The room this session is in stopped (its node died, or it was handed off): join it again. Not
    /// from a node that is stopping (<see cref="RoomLost.OnStoppingNode"/>, turned away in Handle):
    /// its rooms stop with the hand-off, and this entity with them a moment later, while its
    /// client, told 1012, resumes on another node, whose session re-joins (as
    /// does a partner on a node that stays). A join from here would only wait in this node's room
    /// region for a shard it no longer hosts, and with no other node to host it, the hand-off waited
    /// out Akka's timeout for it; when another node took the shard, the join reached the rebuilt room
    /// from an entity about to stop (see <see cref="Orphaned"/>).
    /// </summary>
    private SessionTransition RejoinLostRoom(PairCode code) => Phase switch
    {
        Waiting w when w.Code == code =>
            Next(Updated(w with { Rejoining = true }), new ToRoom(new JoinRoom(code, Id, w.Attempt, Resumable))),
        Paired p when p.Code == code && !p.Confirming =>
            Next(Updated(p with { Rejoining = true }), new ToRoom(new JoinRoom(code, Id, p.Attempt, Resumable, p.Partner, p.Predecessor))),
        _ => Same(),
    };

    /// <summary>The peer timeout fired for <paramref name="code"/>.</summary>
    private SessionTransition PeerTimedOut(PairCode code) => Phase is Waiting w && w.Code == code
        ? Next(Enter(new Idle()),
            new ToRoom(new LeaveRoom(code, Id)),
            new ToClient(new RefusedNotice(Refusal.PeerTimeout, Code: code)))
        : Same();

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
}
