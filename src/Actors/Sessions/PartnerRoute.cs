using System.Collections.Immutable;
using Akka.Actor;

namespace SocketPeer.Actors.Sessions;

/// <summary>
/// How a session's messages reach its partner: straight to the partner entity's ref, or through the
/// session shard region. The two paths are each in order but not with each other, so a message sent
/// directly could overtake one still passing the region (a relay overtaking an earlier one is taken
/// for its duplicate; a replay overtaking the resume answer it belongs to is dropped). Hence a
/// session goes direct to a partner only if nothing went to that partner through the region before,
/// and never back to direct once something did (after losing the partner, say). From direct to the
/// region is always safe: what went direct is already in the partner's mailbox.
/// <para>The ref comes from the partner's entity itself (its hello, a resume answer: it is
/// <see cref="Vouched"/>), or, from the pairing on, from the room (<see cref="PeerFound.PartnerRef"/>:
/// the entity that last spoke for the partner's seat). Without the room's, a client that relayed
/// before the partner's hello came put the whole pairing on the region (issue #18). The room's may
/// be stale (the partner's entity was lost, or moved, since it last spoke to the room): what goes
/// to a dead ref is lost, as what goes to a partner lost before its watch fires is. So a hello, which
/// is what finds the partner's live entity and lets the two watch each other, goes through the
/// region until the entity itself vouched for its ref.</para>
/// </summary>
/// <param name="Partner">whose entity <paramref name="Ref"/> is</param>
/// <param name="RegionUsedFor">sessions this one ever told anything through the region (a few per session)</param>
/// <param name="Vouched">the entity <paramref name="Ref"/> spoke for itself (not only the room for it)</param>
public sealed record PartnerRoute(SessionId? Partner, IActorRef? Ref, ImmutableHashSet<SessionId> RegionUsedFor, bool Vouched = false)
{
    public static readonly PartnerRoute None = new(null, null, []);

    /// <summary>The partner's entity introduced itself (<see cref="PartnerHello"/>, a resume answer).</summary>
    public PartnerRoute Known(SessionId partner, IActorRef partnerRef) =>
        this with { Partner = partner, Ref = partnerRef, Vouched = true };

    /// <summary>
    /// The room paired us with <paramref name="partner"/>, whose entity it knows as
    /// <paramref name="partnerRef"/>. What the entity itself said is newer than what the room heard
    /// from it, so a ref it vouched for is kept.
    /// </summary>
    public PartnerRoute Introduced(SessionId partner, IActorRef partnerRef) => partner == Partner && Vouched
        ? this
        : this with { Partner = partner, Ref = partnerRef, Vouched = false };

    /// <summary>A message to <paramref name="session"/> went, or will go, through the region.</summary>
    public PartnerRoute ThroughRegion(SessionId session) => RegionUsedFor.Contains(session)
        ? this
        : this with { RegionUsedFor = RegionUsedFor.Add(session) };

    /// <summary>The ref to tell <paramref name="partner"/>'s messages to directly, if the route allows.</summary>
    public IActorRef? Direct(SessionId partner) =>
        partner == Partner && !RegionUsedFor.Contains(partner) ? Ref : null;

    /// <summary>
    /// The ref to say hello to <paramref name="partner"/> directly: only one its entity vouched for.
    /// A hello keeps no order, so through the region it costs the route nothing (see above).
    /// </summary>
    public IActorRef? DirectHello(SessionId partner) => Vouched ? Direct(partner) : null;
}
