using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Sessions;
using SocketPeer.Actors.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SocketPeer.Actors.Tests.Sharding;

/// <summary>
/// Original-protocol clients (no resume) through the real room and session entities: a seat whose
/// session is gone, as with a crashed node, never answers the reconnecting client <c>busy</c>.
/// </summary>
public sealed class DeadSeatTests(ITestOutputHelper output)
    : SocketPeerNodeTestKit(SocketPeerNode.Start(new SessionSettings(PeerTimeout: TimeSpan.FromMinutes(10))), output)
{
    private readonly PairCode _code = new($"code-{Guid.NewGuid():N}");

    [Fact]
    public async Task A_client_whose_session_was_lost_pairs_again_with_its_partner_instead_of_hearing_busy()
    {
        var (a, aConnection, b, _) = await Pair();

        await Kill(b); // gone without a word to its room or partner, as with its node
        var (reconnected, connection) = await Connect();
        await Send(new ClientPair(reconnected, _code));

        // The room asks b's seat; a fresh, unattached incarnation answers that it holds nothing.
        Assert.True(connection.FishForMessage<PeerFoundNotice>(_ => true, Timeout).Initiator);
        aConnection.FishForMessage<PeerLeftNotice>(_ => true, Timeout);
        Assert.False(aConnection.FishForMessage<PeerFoundNotice>(_ => true, Timeout).Initiator);

        await Send(new ClientRelay(reconnected, RelayKind.Data, "\"back\""u8.ToArray()));
        aConnection.FishForMessage<RelayedNotice>(_ => true, Timeout);
        await Send(new ClientRelay(a, RelayKind.Data, "\"hi\""u8.ToArray()));
        connection.FishForMessage<RelayedNotice>(_ => true, Timeout);
    }

    [Fact]
    public async Task A_third_client_is_busy_when_both_holders_answer_for_their_seats()
    {
        var (_, aConnection, _, bConnection) = await Pair();
        var (third, connection) = await Connect();

        await Send(new ClientPair(third, _code));

        connection.FishForMessage<BusyNotice>(_ => true, Timeout);
        aConnection.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        bConnection.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    private async Task<(SessionId A, Akka.TestKit.TestProbe AConnection, SessionId B, Akka.TestKit.TestProbe BConnection)> Pair()
    {
        var (a, aConnection) = await Connect();
        var (b, bConnection) = await Connect();
        await Send(new ClientPair(a, _code));
        await Send(new ClientPair(b, _code));
        aConnection.FishForMessage<PeerFoundNotice>(_ => true, Timeout);
        bConnection.FishForMessage<PeerFoundNotice>(_ => true, Timeout);
        return (a, aConnection, b, bConnection);
    }
}
