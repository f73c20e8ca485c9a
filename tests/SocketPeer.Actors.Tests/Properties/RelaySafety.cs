using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Sessions;
using SocketPeer.Actors.Tests.Infrastructure;
using static SocketPeer.Actors.Sessions.SessionPhase;

namespace SocketPeer.Actors.Tests.Properties;

/// <summary>The safety both worlds' properties assert: a relayed message reaches only the sender's partner.</summary>
internal static class RelaySafety
{
    /// <summary>
    /// Every delivery went to the session it was sent to, the sender was paired with it when sending,
    /// and it was paired with the sender on arrival (in the same room).
    /// </summary>
    public static void AssertOnlyPartnersReceive(IReadOnlyList<Delivery> deliveries, IReadOnlyDictionary<string, SentRelay> sent,
        string trace)
    {
        foreach (var delivery in deliveries)
        {
            var ok = sent.TryGetValue(delivery.Payload, out var relay)
                && relay.To == delivery.Receiver
                && IsPairedWith(relay.SenderPhase, relay.Code, delivery.Receiver)
                && IsPairedWith(delivery.ReceiverPhase, relay.Code, relay.From);
            if (!ok)
                Assert.Fail($"{delivery.Payload} sent as {relay} reached {delivery.Receiver}{Environment.NewLine}{trace}");
        }
    }

    private static bool IsPairedWith(SessionPhase phase, PairCode code, SessionId partner) =>
        phase is Paired p && p.Code == code && p.Partner == partner;
}
