using static SocketPeer.Actors.Sessions.SessionEffect;
using static SocketPeer.Actors.Sessions.SessionPhase;

namespace SocketPeer.Actors.Sessions;

/// <summary>What the session's own client and its connection bring.</summary>
public sealed partial record SessionState
{
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

    private SessionTransition Join(Rooms.PairCode code, Rooms.PairCode? leaving = null, SessionId? replaces = null)
    {
        var attempt = Joins + 1;
        var next = Enter(new Joining(code, attempt) { Predecessor = replaces }) with { Joins = attempt };
        var join = new ToRoom(new Rooms.JoinRoom(code, Id, attempt, Resumable, Replaces: replaces));
        return leaving is { } old ? Next(next, new ToRoom(new Rooms.LeaveRoom(old, Id)), join) : Next(next, join);
    }

    private SessionTransition On(ClientLeave _) => Phase.Room is { } room
        ? Next(Enter(new Idle()), new ToRoom(new Rooms.LeaveRoom(room, Id)))
        : Next(this, new ToClient(new RefusedNotice(Refusal.NotInRoom)));

    private SessionTransition On(ClientRelay relay)
    {
        if (Phase is not Paired p)
            return Next(this, new ToClient(new RefusedNotice(Refusal.NotPaired, relay.Kind)));
        if (relay.Seq > 0 && relay.Seq <= Flow.OutSeq)
            return Same(); // a re-send after a resume of something the partner's side already has
        var seq = relay.Seq > 0 ? relay.Seq : Flow.OutSeq + 1;
        var message = new PartnerRelay(p.Partner, Id, p.Code, relay.Kind, relay.Payload, seq,
            FromAttempt: p.PartnerAttempt == 0 ? 0 : p.Attempt, ToAttempt: p.PartnerAttempt);
        if (!p.PartnerResumable)
            return Next(Updated(Flow with { OutSeq = seq }), new ToPartner(message));
        if (Flow.UnackedCount >= BufferLimit)
            return GiveUpOnPartner(p); // its client has not acknowledged for too long (it is away)
        return Next(Updated(Flow with { OutSeq = seq, Unacked = Flow.Unacked.Enqueue(message), UnackedCount = Flow.UnackedCount + 1 }),
            new ToPartner(message));
    }

    /// <summary>The client sent <c>session {"resume": true}</c>.</summary>
    private SessionTransition On(ClientOptIn _) => Resumable || Phase is Unattached
        ? Same()
        : Next(this with { Client = ClientState.Resumable.Instance });

    private SessionTransition On(ClientAck ack)
    {
        if (Phase is not Paired p || ack.Seq <= 0) return Same();
        var acked = Math.Min(ack.Seq, Flow.InSeq);
        return Next(Updated(Flow with { Acked = Math.Max(Flow.Acked, acked) }), new ToPartner(new PartnerAck(p.Partner, Id, acked)));
    }

    private SessionTransition On(ClientRtcStatus status) =>
        Phase is Paired p ? Next(Updated(p with { Path = status.Path })) : Same();

    private SessionTransition On(ConnectionClosed closed)
    {
        // The socket ends here (its first session); the session it resumed hears it after its last message.
        if (HandedOverTo is { } successor)
            return Next(this, new ToPartner(new ConnectionClosed(successor, closed.Connection)), Stop.Instance);
        if (Resumable && Phase.Room is { } room) // keep the slot through the grace period
            return Away ? Same() : Next(this with { Client = ClientState.Away.Fresh }, new ToRoom(new Rooms.MemberAway(room, Id)));
        return End();
    }

    /// <summary>The grace period of an absent client ran out.</summary>
    private SessionTransition GraceExpired() => Away ? End() : Same();

    /// <summary>The session is over: out of its room (the partner hears <c>peer.left</c>), then stop.</summary>
    private SessionTransition End() => Phase.Room is { } room
        ? Next(Enter(new Idle()) with { Client = NotAway }, new ToRoom(new Rooms.LeaveRoom(room, Id)), Stop.Instance)
        : Next(this, Stop.Instance);
}
