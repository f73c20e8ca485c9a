using SocketPeer.Actors.Sessions;
using static SocketPeer.Actors.Sessions.SessionEffect;

namespace SocketPeer.Actors.Tests.Sessions;

public static class TransitionExtensions
{
    /// <summary>The effects without the <see cref="PartnerHello"/> every pairing sends (tested on its own).</summary>
    public static IReadOnlyList<SessionEffect> WithoutHello(this SessionTransition t) =>
        [.. t.Effects.Where(e => e is not ToPartner { Message: PartnerHello })];
}
