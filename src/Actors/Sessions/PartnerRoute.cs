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
/// </summary>
/// <param name="Partner">whose entity <paramref name="Ref"/> is</param>
/// <param name="RegionUsedFor">sessions this one ever told anything through the region (a few per session)</param>
public sealed record PartnerRoute(SessionId? Partner, IActorRef? Ref, ImmutableHashSet<SessionId> RegionUsedFor)
{
    public static readonly PartnerRoute None = new(null, null, []);

    /// <summary>The partner's entity introduced itself (<see cref="PartnerHello"/>, a resume answer).</summary>
    public PartnerRoute Known(SessionId partner, IActorRef partnerRef) => this with { Partner = partner, Ref = partnerRef };

    /// <summary>A message to <paramref name="session"/> went, or will go, through the region.</summary>
    public PartnerRoute ThroughRegion(SessionId session) => RegionUsedFor.Contains(session)
        ? this
        : this with { RegionUsedFor = RegionUsedFor.Add(session) };

    /// <summary>The ref to tell <paramref name="partner"/>'s messages to directly, if the route allows.</summary>
    public IActorRef? Direct(SessionId partner) =>
        partner == Partner && !RegionUsedFor.Contains(partner) ? Ref : null;
}
