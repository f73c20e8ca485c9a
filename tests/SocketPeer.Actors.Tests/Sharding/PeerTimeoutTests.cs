using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Sessions;
using SocketPeer.Actors.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SocketPeer.Actors.Tests.Sharding;

public sealed class PeerTimeoutTests(ITestOutputHelper output)
    : SocketPeerNodeTestKit(SocketPeerNode.Start(new SessionSettings(PeerTimeout: TimeSpan.FromMilliseconds(300))), output)
{
    [Fact]
    public async Task Lone_peer_is_told_peer_timeout_and_leaves_the_room()
    {
        var code = new PairCode("lonely");
        var (a, aConnection) = await Connect();
        var (b, bConnection) = await Connect();

        await Send(new ClientPair(a, code));

        var refused = aConnection.ExpectMsg<RefusedNotice>(Timeout);
        Assert.Equal(new RefusedNotice(Refusal.PeerTimeout, Code: code), refused);

        // The room let it go: the next peer on the code waits alone (and times out) instead of pairing.
        await Send(new ClientPair(b, code));
        var next = bConnection.ExpectMsg<IClientMessage>(Timeout);
        Assert.Equal(new RefusedNotice(Refusal.PeerTimeout, Code: code), next);
    }
}
