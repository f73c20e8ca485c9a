using SocketPeer.Actors.Sessions;
using static SocketPeer.Actors.Sessions.SessionEffect;
using static SocketPeer.Actors.Tests.Sessions.Given;

namespace SocketPeer.Actors.Tests.Sessions;

/// <summary>
/// A pairing is named by the two join attempts the room paired (<see cref="PeerFound.PartnerAttempt"/>),
/// and every relay carries that name: a relay of an earlier pairing of the same two sessions, still
/// on its way when they were paired again, must not count in the new pairing's numbers (it would
/// swallow the partner's next message of the same number).
/// </summary>
public sealed class PairingIdentityTests
{
    private const long PartnersFirstJoin = 4;

    private static SessionState PairedAt(long myAttempt, long partnerAttempt)
    {
        var session = Joining();
        for (var attempt = FirstJoin; attempt < myAttempt; attempt++)
            session = session.Handle(new ClientLeave(Me)).State.Handle(new ClientPair(Me, Code)).State;
        return session.Handle(new PeerFound(Me, Code, Partner, Initiator: true, myAttempt, PartnerAttempt: partnerAttempt)).State;
    }

    private static PartnerRelay Relay(long seq, long fromAttempt, long toAttempt, string json = "\"m\"") =>
        RelayFrom(Partner, json) with { Seq = seq, FromAttempt = fromAttempt, ToAttempt = toAttempt };

    [Fact]
    public void Relays_name_the_pairing_the_room_made()
    {
        var session = PairedAt(FirstJoin, PartnersFirstJoin);

        var sent = session.Handle(new ClientRelay(Me, RelayKind.Data, Utf8("\"hi\"")));

        var relay = Assert.IsType<PartnerRelay>(Assert.IsType<ToPartner>(Assert.Single(sent.Messages())).Message);
        Assert.Equal((FirstJoin, PartnersFirstJoin), (relay.FromAttempt, relay.ToAttempt));
    }

    [Fact]
    public void A_relay_of_this_pairing_is_delivered()
    {
        var result = PairedAt(FirstJoin, PartnersFirstJoin).Handle(Relay(1, PartnersFirstJoin, FirstJoin));

        Assert.IsType<RelayedNotice>(Assert.IsType<ToClient>(Assert.Single(result.Messages())).Message);
    }

    [Theory]
    [InlineData(PartnersFirstJoin, FirstJoin + 1)] // sent to our earlier join
    [InlineData(PartnersFirstJoin - 1, FirstJoin)] // sent from the partner's earlier join
    public void A_relay_of_an_earlier_pairing_is_dropped_and_does_not_swallow_the_next(long from, long to)
    {
        var session = PairedAt(FirstJoin, PartnersFirstJoin);

        var stale = session.Handle(Relay(1, from, to, "\"old\""));
        var next = stale.State.Handle(Relay(1, PartnersFirstJoin, FirstJoin, "\"new\""));

        Assert.Empty(stale.Messages());
        var notice = Assert.IsType<RelayedNotice>(Assert.IsType<ToClient>(Assert.Single(next.Messages())).Message);
        Assert.Equal(Utf8("\"new\""), notice.Payload);
    }

    [Fact]
    public void A_relay_that_names_no_pairing_is_delivered_as_before()
    {
        var result = PairedAt(FirstJoin, PartnersFirstJoin).Handle(Relay(1, 0, 0));

        Assert.Single(result.Messages());
    }

    [Fact]
    public void A_session_paired_by_a_room_that_does_not_name_the_partners_attempt_takes_every_relay_of_its_partner()
    {
        var result = PairedAt(FirstJoin, partnerAttempt: 0).Handle(Relay(1, 9, 9));

        Assert.Single(result.Messages());
    }

    [Fact]
    public void An_early_relay_of_an_earlier_pairing_is_not_delivered_with_peer_found()
    {
        var session = Waiting().Handle(Relay(1, PartnersFirstJoin - 1, FirstJoin)).State
            .Handle(Relay(2, PartnersFirstJoin, FirstJoin)).State;

        var result = session.Handle(new PeerFound(Me, Code, Partner, Initiator: false, FirstJoin, PartnerAttempt: PartnersFirstJoin));

        Assert.Equal(2, result.WithoutHello().Count); // peer.found, then only this pairing's relay
    }

    [Fact]
    public void The_room_pairing_us_again_with_a_partner_that_joined_again_starts_a_new_pairing()
    {
        // The partner left and joined again; the room's PartnerLeft for us was lost with the room.
        var session = PairedAt(FirstJoin, PartnersFirstJoin).Handle(Relay(1, PartnersFirstJoin, FirstJoin)).State;

        var again = session.Handle(new PeerFound(Me, Code, Partner, Initiator: false, FirstJoin, PartnerAttempt: PartnersFirstJoin + 1));
        var first = again.State.Handle(Relay(1, PartnersFirstJoin + 1, FirstJoin));

        Assert.Equal([new ToClient(PeerLeftNotice.Instance), new ToClient(new PeerFoundNotice(false))], again.WithoutHello());
        Assert.Single(first.Messages()); // numbered afresh: seq 1 again is not a duplicate
    }

    [Fact]
    public void The_room_repeating_the_same_pairing_changes_nothing()
    {
        var session = PairedAt(FirstJoin, PartnersFirstJoin);

        var repeat = session.Handle(new PeerFound(Me, Code, Partner, Initiator: true, FirstJoin, PartnerAttempt: PartnersFirstJoin));

        Assert.Empty(repeat.Effects);
    }

    [Fact]
    public void After_the_partner_resumes_its_relays_are_no_longer_checked_against_an_attempt()
    {
        // A rebuilt or successor partner joins with another attempt than the room paired.
        var session = PairedAt(FirstJoin, PartnersFirstJoin)
            .Handle(new PartnerResumed(Me, Partner, Code, Received: 0)).State;

        var result = session.Handle(Relay(1, PartnersFirstJoin + 3, FirstJoin));
        var sent = session.Handle(new ClientRelay(Me, RelayKind.Data, Utf8("\"hi\"")));

        Assert.Single(result.Messages().OfType<ToClient>());
        var relay = Assert.IsType<PartnerRelay>(sent.Messages().OfType<ToPartner>().Single().Message);
        Assert.Equal((0L, 0L), (relay.FromAttempt, relay.ToAttempt));
    }
}
