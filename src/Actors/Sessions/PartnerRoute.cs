using Akka.Actor;

namespace SocketPeer.Actors.Sessions;

/// <summary>
/// How a session's messages reach its partner: straight to the partner entity's ref, or through the
/// session shard region. The two paths are each in order but not with each other, so a message sent
/// directly could overtake one still passing the region (a relay overtaking an earlier one is taken
/// for its duplicate; a replay overtaking the resume answer it belongs to is dropped). Hence a
/// pairing goes direct only if nothing of it went through the region before, and never back to
/// direct once it did (after losing the partner, say).
/// </summary>
public sealed record PartnerRoute(SessionId? Partner, IActorRef? Ref, bool RegionUsed)
{
    public static readonly PartnerRoute None = new(null, null, false);

    /// <summary>The partner's entity introduced itself (<see cref="PartnerHello"/>, a resume answer).</summary>
    public PartnerRoute Known(SessionId partner, IActorRef partnerRef) =>
        partner != Partner ? new(partner, partnerRef, false)
        : RegionUsed ? this
        : this with { Ref = partnerRef };

    /// <summary>A message to <paramref name="partner"/> went, or will go, through the region.</summary>
    public PartnerRoute ThroughRegion(SessionId partner) =>
        partner == Partner ? this with { Ref = null, RegionUsed = true } : new(partner, null, true);

    /// <summary>The ref to tell <paramref name="partner"/>'s messages to directly, if the route allows.</summary>
    public IActorRef? Direct(SessionId partner) => partner == Partner && !RegionUsed ? Ref : null;
}
