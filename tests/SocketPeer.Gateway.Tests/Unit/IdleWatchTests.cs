using Microsoft.Extensions.Time.Testing;
using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Sessions;
using SocketPeer.Gateway.Connections;
using SocketPeer.Gateway.Protocol;

namespace SocketPeer.Gateway.Tests.Unit;

/// <summary>The idle timeout closes a socket in no room that sends nothing, and only such a socket.</summary>
public sealed class IdleWatchTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);
    private static readonly SessionId Session = new("s1");
    private readonly FakeTimeProvider _time = new();
    private int _closes;

    private IdleWatch Watch(TimeSpan? timeout = null) => new(timeout ?? Timeout, _time, () => _closes++);

    private static InboundDecision Pair => new InboundDecision.Forward(new ClientPair(Session, new PairCode("code")));

    [Fact]
    public void A_socket_that_never_pairs_is_closed_once_within_a_quarter_past_the_timeout()
    {
        using var watch = Watch();

        _time.Advance(Timeout - TimeSpan.FromSeconds(1));
        Assert.Equal(0, _closes);
        _time.Advance(Timeout / 4 + TimeSpan.FromSeconds(1));
        Assert.Equal(1, _closes);
        _time.Advance(Timeout * 2);
        Assert.Equal(1, _closes);
    }

    [Fact]
    public void A_socket_in_a_room_is_never_closed_however_quiet()
    {
        using var watch = Watch();

        watch.Received(Pair);
        _time.Advance(Timeout * 10);

        Assert.Equal(0, _closes);
    }

    [Fact]
    public void After_busy_the_idle_time_counts_from_the_busy()
    {
        using var watch = Watch();
        watch.Received(Pair);
        _time.Advance(Timeout * 2);

        watch.Sent(BusyNotice.Instance);
        _time.Advance(Timeout - TimeSpan.FromSeconds(1));
        Assert.Equal(0, _closes);
        _time.Advance(Timeout / 2);

        Assert.Equal(1, _closes);
    }

    [Fact]
    public void After_peer_timeout_the_socket_is_in_no_room()
    {
        using var watch = Watch();
        watch.Received(Pair);

        watch.Sent(new RefusedNotice(Refusal.PeerTimeout, Code: new PairCode("alone")));
        _time.Advance(Timeout * 2);

        Assert.Equal(1, _closes);
    }

    [Fact]
    public void Sending_anything_keeps_a_socket_in_no_room_open()
    {
        using var watch = Watch();

        for (var i = 0; i < 8; i++)
        {
            _time.Advance(Timeout / 2);
            watch.Received(InboundDecision.Error(ServerErrorCodes.BadMessage, "still here"));
        }

        Assert.Equal(0, _closes);
    }

    [Fact]
    public void Zero_turns_it_off()
    {
        using var watch = Watch(TimeSpan.Zero);

        _time.Advance(TimeSpan.FromDays(1));

        Assert.Equal(0, _closes);
    }
}
