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
public sealed record SessionState(SessionId Id, SessionPhase Phase, ImmutableList<PartnerRelay> Early, RtcPath? Path)
{
    public const int MaxEarlyRelays = 32;

    /// <summary>Joins sent so far: numbers each <see cref="JoinRoom"/> so stale answers are recognised.</summary>
    public long Joins { get; init; }

    public static SessionState New(SessionId id) => new(id, new Unattached(), [], null);

    public SessionTransition Handle(AttachConnection _) => Phase is Unattached
        ? Next(this with { Phase = new Idle() }, new ToClient(new SessionStarted(Id)))
        : Same();

    public SessionTransition Handle(ClientPair pair) => Phase switch
    {
        Unattached => Same(),
        Idle => Join(pair.Code),
        // A second `pair` with the same code is idempotent, so a socket never pairs with itself.
        _ when Phase.Room == pair.Code => Same(),
        _ => Join(pair.Code, leaving: Phase.Room),
    };

    private SessionTransition Join(PairCode code, PairCode? leaving = null)
    {
        var attempt = Joins + 1;
        var next = Enter(new Joining(code, attempt)) with { Joins = attempt };
        var join = new ToRoom(new JoinRoom(code, Id, attempt));
        return leaving is { } old ? Next(next, new ToRoom(new LeaveRoom(old, Id)), join) : Next(next, join);
    }

    public SessionTransition Handle(ClientLeave _) => Phase.Room is { } room
        ? Next(Enter(new Idle()), new ToRoom(new LeaveRoom(room, Id)))
        : Next(this, Error(ServerErrorCodes.NotInRoom, "leave: this connection is in no room"));

    public SessionTransition Handle(ClientRelay relay) => Phase is Paired paired
        ? Next(this, new ToPartner(new PartnerRelay(paired.Partner, Id, paired.Code, relay.Kind, relay.Payload)))
        : Next(this, Error(ServerErrorCodes.NotPaired, $"{WireName(relay.Kind)}: no partner yet; send pair and wait for peer.found"));

    public SessionTransition Handle(ClientRtcStatus status) =>
        Phase is Paired ? Next(this with { Path = status.Path }) : Same();

    public SessionTransition Handle(ConnectionClosed _) => Phase.Room is { } room
        ? Next(Enter(new Idle()), new ToRoom(new LeaveRoom(room, Id)), Stop.Instance)
        : Next(this, Stop.Instance);

    public SessionTransition Handle(WaitingForPeer waiting) => Phase switch
    {
        Joining when Phase.IsAbout(waiting.Code, waiting.Attempt) =>
            Next(this with { Phase = new Waiting(waiting.Code, waiting.Attempt) }),
        Unattached => Orphaned(waiting.Code),
        _ => Same(), // stale: the answer to a join we have since abandoned
    };

    public SessionTransition Handle(PeerFound found)
    {
        switch (Phase)
        {
            case Joining or Waiting when Phase.IsAbout(found.Code, found.Attempt):
                var deliver = Early.Where(r => r.From == found.Partner && r.Code == found.Code)
                    .Select(r => (SessionEffect)new ToClient(new RelayedNotice(r.Kind, r.Payload)));
                return Next(Enter(new Paired(found.Code, found.Partner, found.Attempt)),
                    [new ToClient(new PeerFoundNotice(found.Initiator)), .. deliver]);
            case Paired p when p.IsAbout(found.Code, found.Attempt) && p.Partner == found.Partner:
                return Same(); // the room repeated itself; the client already heard peer.found
            case Paired p when p.IsAbout(found.Code, found.Attempt):
                // A partner we missed the departure of was replaced: the client must hear both.
                return Next(Enter(new Paired(found.Code, found.Partner, found.Attempt)),
                    new ToClient(PeerLeftNotice.Instance), new ToClient(new PeerFoundNotice(found.Initiator)));
            case Unattached:
                return Orphaned(found.Code);
            default:
                return Same();
        }
    }

    public SessionTransition Handle(RoomBusy busy) => Phase is Joining && Phase.IsAbout(busy.Code, busy.Attempt)
        ? Next(Enter(new Idle()), new ToClient(BusyNotice.Instance))
        : Same();

    public SessionTransition Handle(PartnerLeft left) => Phase switch
    {
        Paired p when p.IsAbout(left.Code, left.Attempt) && p.Partner == left.Partner =>
            Next(Enter(new Waiting(left.Code, left.Attempt)), new ToClient(PeerLeftNotice.Instance)),
        Unattached => Next(this, Stop.Instance),
        _ => Same(),
    };

    public SessionTransition Handle(PartnerRelay relay) => Phase switch
    {
        Paired p when p.Partner == relay.From && p.Code == relay.Code =>
            Next(this, new ToClient(new RelayedNotice(relay.Kind, relay.Payload))),
        Joining or Waiting when Phase.Room == relay.Code && Early.Count < MaxEarlyRelays =>
            Next(this with { Early = Early.Add(relay) }),
        Unattached => Next(this, Stop.Instance),
        _ => Same(), // not from our partner: nobody else's message ever reaches this client
    };

    /// <summary>The peer timeout fired for <paramref name="code"/>.</summary>
    public SessionTransition PeerTimedOut(PairCode code) => Phase is Waiting w && w.Code == code
        ? Next(Enter(new Idle()),
            new ToRoom(new LeaveRoom(code, Id)),
            Error(ServerErrorCodes.PeerTimeout, $"no peer joined \"{code}\" in time; send pair to wait again"))
        : Same();

    /// <summary>Leaves the current phase: early relays and the reported path belong to it.</summary>
    private SessionState Enter(SessionPhase phase) => this with { Phase = phase, Early = [], Path = null };

    /// <summary>A room counts this session as a member, but no connection ever attached: get out.</summary>
    private SessionTransition Orphaned(PairCode code) =>
        Next(this, new ToRoom(new LeaveRoom(code, Id)), Stop.Instance);

    private SessionTransition Same() => new(this, []);

    private static SessionTransition Next(SessionState state, params SessionEffect[] effects) => new(state, effects);

    private static ToClient Error(string code, string message) => new(new ServerErrorNotice(code, message));

    private static string WireName(RelayKind kind) => kind switch
    {
        RelayKind.Data => "data",
        RelayKind.Signal => "rtc.signal",
        _ => "rtc.connect",
    };
}

/// <summary>A session after one input, and the effects its actor must perform, in order.</summary>
public sealed record SessionTransition(SessionState State, IReadOnlyList<SessionEffect> Effects);
