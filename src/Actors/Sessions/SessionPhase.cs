using System.Collections.Immutable;
using SocketPeer.Actors.Rooms;

namespace SocketPeer.Actors.Sessions;

/// <summary>
/// Where one peer session stands, and what only means something there: the room's code and join
/// attempt while in a room, early relays while not yet paired, the partner and the pairing's numbers
/// while paired. Leaving a phase drops what it held. Two phases are equal when they stand in the
/// same place (room, join attempt, partner); what they carry is not part of where.
/// </summary>
public abstract record SessionPhase
{
    /// <summary>Created by a stray message (no connection ever attached): clean up and stop.</summary>
    public sealed record Unattached : SessionPhase;

    /// <summary>Connected, in no room.</summary>
    public sealed record Idle : SessionPhase;

    /// <summary>In the room of <paramref name="Code"/> (joining it, waiting in it, or paired in it), by join number <paramref name="Attempt"/>.</summary>
    public abstract record InRoom(PairCode Code, long Attempt) : SessionPhase
    {
        /// <summary>The session this one succeeds (its node is unreachable): the room seat to take over.</summary>
        public SessionId? Predecessor { get; init; }

        /// <summary>
        /// This session joined its room again (the room was lost with its node) and has no answer yet.
        /// Its join may have gone to the dead node's region before that region learnt of the loss, so it
        /// is asked again until the rebuilt room answers.
        /// </summary>
        public bool Rejoining { get; init; }
    }

    /// <summary>Asked the room to join; no answer yet.</summary>
    public sealed record Joining(PairCode Code, long Attempt = 0) : InRoom(Code, Attempt)
    {
        /// <summary>Relays from a partner-to-be that came before the room's answer (see <see cref="SessionState.MaxEarlyRelays"/>).</summary>
        public ImmutableList<PartnerRelay> Early { get; init; } = [];

        public bool Equals(Joining? other) => other is not null && Code == other.Code && Attempt == other.Attempt;

        public override int GetHashCode() => HashCode.Combine(Code, Attempt);
    }

    /// <summary>Alone in the room, waiting for a partner (the peer timeout runs).</summary>
    public sealed record Waiting(PairCode Code, long Attempt = 0) : InRoom(Code, Attempt)
    {
        /// <summary>Relays from a partner-to-be that came before the room's <see cref="PeerFound"/>.</summary>
        public ImmutableList<PartnerRelay> Early { get; init; } = [];

        public bool Equals(Waiting? other) => other is not null && Code == other.Code && Attempt == other.Attempt;

        public override int GetHashCode() => HashCode.Combine(Code, Attempt);
    }

    /// <summary>Paired: relay goes straight to the partner's session. Everything below is this pairing's.</summary>
    public sealed record Paired(PairCode Code, SessionId Partner, long Attempt = 0) : InRoom(Code, Attempt)
    {
        /// <summary>The path the client reported (<c>rtc.status</c>).</summary>
        public RtcPath? Path { get; init; }

        /// <summary>The partner keeps its pairing through a reconnect: keep what is sent to it until it acks.</summary>
        public bool PartnerResumable { get; init; }

        /// <summary>The partner's session was lost (its node died); its client may still resume it.</summary>
        public bool PartnerAway { get; init; }

        /// <summary>
        /// The session our partner's successor took over from (<see cref="PartnerResumed.Replaces"/>): a
        /// rebuilt room may still pair us with it before the successor claims its seat, and that is not
        /// a new partner.
        /// </summary>
        public SessionId? PartnerPredecessor { get; init; }

        /// <summary>How far a resume of this pairing has got.</summary>
        public ResumeProgress Progress { get; init; }

        /// <summary>
        /// The partner's join attempt that the room paired with ours (<see cref="InRoom.Attempt"/>), or
        /// 0 when not known (a pairing taken back by a resume on either side, or a room on a node that
        /// does not say). Known, it names the pairing on every relay, both ways (<see cref="Carries(PartnerRelay)"/>).
        /// </summary>
        public long PartnerAttempt { get; init; }

        /// <summary>
        /// Whether <paramref name="relay"/> belongs to this pairing rather than an earlier one of the same
        /// two sessions (the room paired them, one left, and they were paired again while a relay of
        /// the first was on its way): its sequence number would count in this pairing's and swallow the
        /// partner's next message of the same number. A relay that names no pairing, or one this side
        /// cannot check, is taken, as before pairings were named.
        /// </summary>
        public bool Carries(PartnerRelay relay) => Carries(relay, Attempt, PartnerAttempt);

        /// <summary><see cref="Carries(PartnerRelay)"/> for a pairing of these attempts (ours, the partner's).</summary>
        public static bool Carries(PartnerRelay relay, long attempt, long partnerAttempt) =>
            relay.ToAttempt == 0 || partnerAttempt == 0 || (relay.ToAttempt == attempt && relay.FromAttempt == partnerAttempt);

        // What relays and acks move (the sequence numbers, what the partner has not acknowledged) is
        // this pairing's too, but held beside the phase (SessionState.Flow): a relay copies only that.

        /// <summary>Rebuilt from a token; the partner has not confirmed the pairing yet.</summary>
        public bool Confirming => Progress is ResumeProgress.Unconfirmed or ResumeProgress.AwaitingPartnerResume;

        /// <summary>A replay was asked for and not answered: live relays are dropped until it comes.</summary>
        public bool Replaying => Progress is ResumeProgress.AwaitingReplay or ResumeProgress.Unconfirmed;

        public bool Equals(Paired? other) =>
            other is not null && Code == other.Code && Partner == other.Partner && Attempt == other.Attempt;

        public override int GetHashCode() => HashCode.Combine(Code, Partner, Attempt);
    }

    /// <summary>Whether a room's answer is about the join this phase is in (same code, same attempt).</summary>
    public bool IsAbout(PairCode code, long attempt) => this is InRoom r && r.Code == code && r.Attempt == attempt;

    /// <summary>The room this phase is in (or joining), if any.</summary>
    public PairCode? Room => (this as InRoom)?.Code;
}
