using SocketPeer.Actors.Events;
using static SocketPeer.Actors.Sessions.SessionEffect;
using static SocketPeer.Actors.Sessions.SessionPhase;

namespace SocketPeer.Actors.Sessions;

/// <summary>
/// Room events for the application's backend (docs/webhooks.md): what a transition did to a
/// pairing, read off the states before and after it and the input that caused it, so no transition
/// has to remember to announce anything. Each side of a pair announces what it sees; ids make the
/// duplicates recognisable (<see cref="RoomEventIds"/>).
/// </summary>
public sealed partial record SessionState
{
    /// <summary>The pairing as the backend knows it: a successor names the session it took over from, as its partner does.</summary>
    public PairingId PairingOf(Paired p) => PairingId.Of(p.Code, p.Predecessor ?? Id, p.PartnerPredecessor ?? p.Partner);

    /// <summary>
    /// Appends an <see cref="Announce"/> for each event of transition <paramref name="t"/> from this
    /// state. A relay or an ack within one pairing (the hot path) returns at the first test.
    /// </summary>
    private SessionTransition Announced(ISessionInput input, SessionTransition t)
    {
        var was = Phase as Paired;
        var now = t.State.Phase as Paired;
        if (was is null && now is null) return t;
        if (was is not null && now is not null && was.Equals(now) && was.PartnerAway == now.PartnerAway
            && input is not (ResumeConnection or PartnerResumed or PartnerResumeAnswer))
            return t;

        PairingId? before = was is null ? null : PairingOf(was);
        PairingId? after = now is null ? null : t.State.PairingOf(now);
        List<SessionEffect>? events = null;
        // A stopping entity (handed off, or its node shutting down) takes its pairing along: no end.
        if (before is { } ended && ended != after && input is not EntityStopped)
            Add(ref events, new Announce(new RoomEvent(RoomEventKind.PairEnded, RoomEventIds.Ended(ended), ended, was!.Code, Id, was.Partner)
            {
                Reason = EndReasonOf(input),
            }));
        // One side announces a new pair: the initiator, as it counts it (a rebuilt pairing is not new).
        if (after is { } formed && formed != before && input is PeerFound { Initiator: true } && !now!.Confirming)
            Add(ref events, new Announce(new RoomEvent(RoomEventKind.PairFormed, RoomEventIds.Formed(formed), formed, now.Code, Id, now.Partner)));
        // Node loss affecting the pair: announced when the partner's node is known lost, not when its
        // entity merely stopped (it ended, and the room's word is on its way; or it was handed off).
        if (after is { } same && same == before && !was!.PartnerAway && now!.PartnerAway && input is PartnerLost { NodeLost: true } or PartnerGone)
            Add(ref events, new Announce(new RoomEvent(RoomEventKind.PartnerLost,
                RoomEventIds.PartnerLost(same, now.Partner, Id, t.State.Flow.InSeq), same, now.Code, Id, now.Partner)));
        if (after is { } resumed && ResumesPaired(t))
            Add(ref events, new Announce(new RoomEvent(RoomEventKind.PairResumed,
                RoomEventIds.Resumed(resumed, t.State.Id, t.State.TokensIssued), resumed, now!.Code, Id, now.Partner)
            {
                // Taken back alive, or confirmed after a rebuild (from a token, or as a successor).
                Rebuilt = was is null || was.Confirming,
            }));
        return events is null ? t : t with { Effects = [.. t.Effects, .. events] };
    }

    /// <summary>The client heard that its pairing is back: a resume completed.</summary>
    private static bool ResumesPaired(SessionTransition t)
    {
        foreach (var effect in t.Effects)
            if (effect is ToClient { Message: ResumedNotice { State: ResumeState.Paired } }) return true;
        return false;
    }

    private static PairEndReason EndReasonOf(ISessionInput input) => input switch
    {
        ClientLeave or ClientPair => PairEndReason.Left,
        ConnectionClosed => PairEndReason.Closed,
        GraceElapsed => PairEndReason.ClientDidNotReturn,
        PartnerLeft or PartnerGaveUp => PairEndReason.PartnerLeft,
        // A relay past the buffer: the partner's client has not acknowledged for too long (it is away).
        PartnerGraceElapsed or ConfirmElapsed or ClientRelay => PairEndReason.PartnerDidNotReturn,
        // The partner's entity stopped before the room said it left: lost only if its node was.
        PartnerLost { NodeLost: true } or PartnerGone => PairEndReason.PartnerLost,
        PartnerLost => PairEndReason.PartnerLeft,
        SeatTaken => PairEndReason.SeatTaken,
        PeerFound => PairEndReason.Replaced,
        RoomBusy => PairEndReason.RoomTaken,
        PartnerResumeAnswer => PairEndReason.ResumeRefused,
        _ => PairEndReason.Other,
    };
}
