using SocketPeer.Actors.Sessions;
using static SocketPeer.Actors.Sessions.SessionEffect;

namespace SocketPeer.Actors.Tests.Sessions;

public static class TransitionExtensions
{
    /// <summary>The effects without the <see cref="PartnerHello"/> every pairing sends (tested on its own).</summary>
    public static IReadOnlyList<SessionEffect> WithoutHello(this SessionTransition t) =>
        [.. t.Messages().Where(e => e is not ToPartner { Message: PartnerHello })];

    /// <summary>
    /// What the transition tells others, and whether it stops: the effects without the bookkeeping
    /// every change of state brings (timers, gauges, tokens: <c>session.token</c> left out, and
    /// <c>session</c> without its token's claims; tested on their own).
    /// </summary>
    public static IReadOnlyList<SessionEffect> Messages(this SessionTransition t) =>
    [
        .. t.Effects
            .Where(e => e is ToClient or ToRoom or ToPartner or Stop && !e.IsToken())
            .Select(e => e is ToClient { Message: SessionStarted s } ? new ToClient(s with { Token = null }) : e),
    ];

    /// <summary>A fresh token for the client (<c>session.token</c>).</summary>
    public static bool IsToken(this SessionEffect e) => e is ToClient { Message: TokenNotice };

    /// <summary>The claims of every token the transition hands the client, in order (<c>session</c> and <c>session.token</c>).</summary>
    public static IReadOnlyList<ResumeClaims> Tokens(this SessionTransition t) =>
    [
        .. t.Effects.Select(e => e switch
        {
            ToClient { Message: TokenNotice n } => n.Claims,
            ToClient { Message: SessionStarted { Token: { } claims } } => claims,
            _ => null,
        }).OfType<ResumeClaims>(),
    ];

    /// <summary>The actor watched <paramref name="partner"/>'s entity, and that entity stopped.</summary>
    public static SessionTransition WatchedPartnerLost(this SessionState s, SessionId partner) =>
        s.Handle(new PartnerWatched(partner)).State.Handle(PartnerLost.Instance);
}

/// <summary>What a session's phase holds, for tests that look at it.</summary>
internal static class PhaseViews
{
    /// <summary>The pairing this session is in (fails the test if it is in none).</summary>
    public static SessionPhase.Paired Pairing(this SessionState s) => Assert.IsType<SessionPhase.Paired>(s.Phase);

    /// <summary>What relays and acks moved in the pairing this session is in (fails the test if it is in none).</summary>
    public static PairingFlow PairedFlow(this SessionState s)
    {
        s.Pairing();
        return s.Flow;
    }

    /// <summary>The early relays the phase keeps (none outside joining and waiting).</summary>
    public static System.Collections.Immutable.ImmutableList<PartnerRelay> Early(this SessionState s) => s.Phase switch
    {
        SessionPhase.Joining j => j.Early,
        SessionPhase.Waiting w => w.Early,
        _ => [],
    };
}
