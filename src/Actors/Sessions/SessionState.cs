using SocketPeer.Actors.Rooms;
using static SocketPeer.Actors.Sessions.SessionPhase;

namespace SocketPeer.Actors.Sessions;

/// <summary>
/// One peer's signalling state, pure: <see cref="Handle"/> returns the next state and the effects to
/// perform. The actor (<see cref="PeerSessionActor"/>) only receives, calls it and performs them.
/// What only means something in one phase (the room's join, early relays, the pairing's partner and
/// numbers) lives in that phase (<see cref="SessionPhase"/>); here is what outlives phases.
/// </summary>
public sealed partial record SessionState(SessionId Id, SessionPhase Phase)
{
    /// <summary>
    /// How many relays may reach this session before the room's <see cref="PeerFound"/> does (the room
    /// and the partner are different senders, so nothing orders them across nodes). They are delivered
    /// once the pairing is confirmed, dropped otherwise.
    /// </summary>
    public const int MaxEarlyRelays = 32;

    /// <summary>Joins sent so far: numbers each <see cref="JoinRoom"/> so stale answers are recognised.</summary>
    public long Joins { get; init; }

    /// <summary>Where the client stands: attached, attached and resumable, or away.</summary>
    public ClientState Client { get; init; } = ClientState.Attached.Instance;

    /// <summary>The partner whose entity the actor watches (it said hello, or answered a resume), if any.</summary>
    public SessionId? WatchedPartner { get; init; }

    /// <summary>
    /// The session this connection's socket serves instead (it resumed that one, <see cref="HandOver"/>):
    /// the socket's end is passed on to it, and this session stops.
    /// </summary>
    public SessionId? HandedOverTo { get; init; }

    /// <summary>
    /// What relays and acks moved in the current pairing (<see cref="PairingFlow"/>): the pairing's, held
    /// here so that a relay's new state copies it and not the whole <see cref="Paired"/> phase. Starts
    /// afresh with every phase entered (<see cref="Enter"/>); outside a pairing it means nothing.
    /// </summary>
    public PairingFlow Flow { get; init; } = PairingFlow.None;

    /// <summary>How many unacknowledged messages may wait for an absent partner.</summary>
    public int BufferLimit { get; init; } = ResumeSettings.DefaultBufferMessages;

    public static SessionState New(SessionId id, int bufferLimit = ResumeSettings.DefaultBufferMessages) =>
        new(id, new Unattached()) { BufferLimit = bufferLimit };

    /// <summary>The client opted into resume: the session outlives its socket for the grace period.</summary>
    public bool Resumable => Client is not ClientState.Attached;

    /// <summary>A resumable session whose socket is gone, waiting (the grace period) for its client.</summary>
    public bool Away => Client is ClientState.Away;

    // What the phase says, for whoever does not care which phase it is (none of it outside a pairing or room).

    public ResumeProgress Progress => Phase is Paired p ? p.Progress : ResumeProgress.None;

    public bool Confirming => Phase is Paired { Confirming: true };

    public bool Replaying => Phase is Paired { Replaying: true };

    public bool PartnerResumable => Phase is Paired { PartnerResumable: true };

    public bool PartnerAway => Phase is Paired { PartnerAway: true };

    public RtcPath? Path => (Phase as Paired)?.Path;

    public bool Rejoining => Phase is InRoom { Rejoining: true };

    public SessionId? Predecessor => (Phase as InRoom)?.Predecessor;

    /// <summary>
    /// How many tokens this session has issued (the generation of the latest), or, rebuilt from a
    /// token, that token's generation plus those issued since.
    /// </summary>
    public long TokensIssued { get; init; }

    /// <summary>The claims of a token of <paramref name="generation"/> issued now.</summary>
    public ResumeClaims ClaimsOf(long generation)
    {
        var (state, code, partner) = Claims;
        return new ResumeClaims(Id, state, code, partner, PartnerResumable, generation);
    }

    /// <summary>What a resume token issued now would vouch for.</summary>
    public (ResumeState State, PairCode? Code, SessionId? Partner) Claims => Phase switch
    {
        Paired p => (ResumeState.Paired, p.Code, p.Partner),
        Joining j => (ResumeState.Waiting, j.Code, null),
        Waiting w => (ResumeState.Waiting, w.Code, null),
        _ => (ResumeState.Idle, null, null),
    };

    /// <summary>
    /// Leaves the current phase for <paramref name="phase"/>: what the old one held goes with it. A
    /// re-join still unanswered stays so while the session stays in that room (a partner given up on
    /// while the room was lost leaves us waiting there: the room must still hear of us).
    /// </summary>
    private SessionState Enter(SessionPhase phase) => this with
    {
        Phase = Rejoining && phase is InRoom room && room.Code == Phase.Room ? room with { Rejoining = true } : phase,
        Flow = PairingFlow.None,
    };

    /// <summary>The same phase, with what it holds updated.</summary>
    private SessionState Updated(SessionPhase phase) => this with { Phase = phase };

    /// <summary>The same phase, with what relays and acks move updated (the hot path: only this is copied).</summary>
    private SessionState Updated(PairingFlow flow) => this with { Flow = flow };

    /// <summary>The same pairing, with what it holds and what relays and acks move updated.</summary>
    private SessionState Updated(Paired phase, PairingFlow flow) => this with { Phase = phase, Flow = flow };

    /// <summary>The client side once its socket is back, or the session ends: no longer away.</summary>
    private ClientState NotAway => Client is ClientState.Away ? ClientState.Resumable.Instance : Client;

    /// <summary>What the client gets for a relayed message: the number only if it asked for resume.</summary>
    private RelayedNotice Delivered(PartnerRelay relay) => new(relay.Kind, relay.Payload, Resumable ? relay.Seq : 0);

    private SessionTransition Same() => new(this, SessionEffects.None);

    /// <summary>A span, not an array: the few effects of a transition are copied into it inline (<see cref="SessionEffects"/>).</summary>
    private static SessionTransition Next(SessionState state, params ReadOnlySpan<SessionEffect> effects) =>
        new(state, SessionEffects.Of(effects));
}

/// <summary>
/// A session after one input, and the effects its actor must perform, in order. A value, as its
/// effects are (<see cref="SessionEffects"/>): a relay's transition allocates neither.
/// </summary>
public readonly record struct SessionTransition(SessionState State, SessionEffects Effects);
