using SocketPeer.Actors.Sessions;
using static SocketPeer.Actors.Sessions.SessionEffect;
using static SocketPeer.Actors.Tests.Sessions.Given;

namespace SocketPeer.Actors.Tests.Sessions;

/// <summary>
/// A partner's relay can overtake the room's <see cref="PeerFound"/> (different senders). Such early
/// relays wait in the session and reach the client right after <c>peer.found</c>, if they are the partner's.
/// </summary>
public sealed class EarlyRelayTests
{
    [Theory]
    [InlineData(nameof(Joining))]
    [InlineData(nameof(Waiting))]
    public void Early_relay_from_the_partner_is_delivered_right_after_peer_found(string phase)
    {
        var session = InPhase(phase);
        var early = RelayFrom(Partner, "\"offer\"");

        var buffered = session.Handle(early);
        var result = buffered.State.Handle(new PeerFound(Me, Code, Partner, Initiator: false, FirstJoin));

        Assert.Empty(buffered.Messages());
        Assert.Equal(2, result.WithoutHello().Count);
        Assert.Equal(new ToClient(new PeerFoundNotice(false)), result.WithoutHello()[0]);
        AssertRelayed(early, result.WithoutHello()[1]);
        Assert.Empty(result.State.Early());
    }

    [Fact]
    public void Early_relay_from_someone_who_does_not_become_the_partner_is_dropped()
    {
        var session = Waiting().Handle(RelayFrom(Stranger, "\"psst\"")).State;

        var result = session.Handle(new PeerFound(Me, Code, Partner, Initiator: false, FirstJoin));

        Assert.Equal([new ToClient(new PeerFoundNotice(false))], result.WithoutHello());
    }

    [Fact]
    public void Early_relay_for_another_code_is_not_kept()
    {
        var result = Waiting().Handle(RelayFrom(Partner, "\"elsewhere\"", OtherCode));

        Assert.Empty(result.WithoutHello());
        Assert.Empty(result.State.Early());
    }

    [Fact]
    public void Early_relays_are_delivered_in_their_order()
    {
        var relays = Enumerable.Range(0, 3).Select(i => RelayFrom(Partner, i.ToString())).ToList();
        var session = relays.Aggregate(Joining(), (s, r) => s.Handle(r).State);

        var result = session.Handle(new PeerFound(Me, Code, Partner, Initiator: true, FirstJoin));

        Assert.Equal(relays.Count + 1, result.WithoutHello().Count);
        for (var i = 0; i < relays.Count; i++)
            AssertRelayed(relays[i], result.WithoutHello()[i + 1]);
    }

    [Fact]
    public void Early_relays_beyond_the_bound_are_dropped()
    {
        var relays = Enumerable.Range(0, SessionState.MaxEarlyRelays + 5)
            .Select(i => RelayFrom(Partner, i.ToString())).ToList();
        var session = relays.Aggregate(Waiting(), (s, r) => s.Handle(r).State);

        var result = session.Handle(new PeerFound(Me, Code, Partner, Initiator: false, FirstJoin));

        Assert.Equal(SessionState.MaxEarlyRelays, session.Early().Count);
        Assert.Equal(SessionState.MaxEarlyRelays + 1, result.WithoutHello().Count);
        for (var i = 0; i < SessionState.MaxEarlyRelays; i++)
            AssertRelayed(relays[i], result.WithoutHello()[i + 1]);
    }

    [Fact]
    public void Early_relays_are_forgotten_when_the_session_leaves_the_room()
    {
        var session = Waiting().Handle(RelayFrom(Partner, "\"before leave\"")).State
            .Handle(new ClientLeave(Me)).State
            .Handle(new ClientPair(Me, Code)).State;

        var result = session.Handle(new PeerFound(Me, Code, Partner, Initiator: true, FirstJoin + 1));

        Assert.Equal([new ToClient(new PeerFoundNotice(true))], result.WithoutHello());
    }

    private static void AssertRelayed(PartnerRelay sent, SessionEffect effect)
    {
        var notice = Assert.IsType<RelayedNotice>(Assert.IsType<ToClient>(effect).Message);
        Assert.Equal(sent.Kind, notice.Kind);
        Assert.Equal(sent.Payload, notice.Payload);
    }
}
