using Akka.Actor;
using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Sessions;
using static SocketPeer.Actors.Sessions.SessionEffect;
using static SocketPeer.Actors.Tests.Sessions.Given;
using static SocketPeer.Actors.Tests.Sessions.ResumeScenario;

namespace SocketPeer.Actors.Tests.Sessions;

/// <summary>
/// What a session asks its actor to keep besides messages, seen from its inputs: each gauge counts
/// what it names while it lasts, each timer runs while what it waits for lasts and fires as an input,
/// a resumable client is handed a fresh token whenever what its token vouches for changes, and an
/// entity that stops leaves every gauge it counted.
/// </summary>
public sealed class SessionBookkeepingTests
{
    [Fact]
    public void A_join_is_asked_again_until_the_room_answers()
    {
        var joining = Idle().Handle(new ClientPair(Me, Code));
        var answered = joining.State.Handle(new WaitingForPeer(Me, Code, FirstJoin));

        Assert.Contains(new StartTimer(SessionTimer.JoinRetry, JoinRetryElapsed.Instance), joining.Effects);
        Assert.Contains(new CancelTimer(SessionTimer.JoinRetry), answered.Effects);
        Assert.Equal([new ToRoom(new JoinRoom(Code, Me, FirstJoin, false))], joining.State.Handle(JoinRetryElapsed.Instance).Effects);
    }

    [Fact]
    public void Waiting_counts_as_waiting_and_runs_the_peer_timeout()
    {
        var waiting = Joining().Handle(new WaitingForPeer(Me, Code, FirstJoin));

        Assert.Contains(new Gauge(SessionGauge.Waiting, 1), waiting.Effects);
        Assert.Contains(new StartTimer(SessionTimer.PeerTimeout, new PeerTimeoutElapsed(Code)), waiting.Effects);
    }

    [Fact]
    public void A_pairing_moves_the_session_from_waiting_to_paired_and_stops_the_peer_timeout()
    {
        var paired = Waiting().Handle(new PeerFound(Me, Code, Partner, Initiator: false, FirstJoin));

        Assert.Contains(new Gauge(SessionGauge.Waiting, -1), paired.Effects);
        Assert.Contains(new CancelTimer(SessionTimer.PeerTimeout), paired.Effects);
        Assert.Contains(new Gauge(SessionGauge.Paired, 1), paired.Effects);
    }

    [Fact]
    public void A_timed_out_wait_leaves_the_waiting_count()
    {
        var timedOut = Waiting().Handle(new PeerTimeoutElapsed(Code));

        Assert.Contains(new ToClient(new RefusedNotice(Refusal.PeerTimeout, Code: Code)), timedOut.Effects);
        Assert.Contains(new Gauge(SessionGauge.Waiting, -1), timedOut.Effects);
    }

    [Fact]
    public void Relays_either_way_bring_nothing_but_the_relay()
    {
        var sent = Paired().Handle(new ClientRelay(Me, RelayKind.Data, Utf8("1")));
        var received = sent.State.Handle(RelayFrom(Partner, "2") with { Seq = 1 });

        Assert.IsType<ToPartner>(Assert.Single(sent.Effects));
        Assert.IsType<ToClient>(Assert.Single(received.Effects));
    }

    [Fact]
    public void An_upgraded_path_counts_while_the_pairing_lasts()
    {
        var upgraded = Paired().Handle(new ClientRtcStatus(Me, RtcPath.Upgraded));
        var left = upgraded.State.Handle(new PartnerLeft(Me, Code, Partner, FirstJoin));

        Assert.Equal([new Gauge(SessionGauge.Upgraded, 1)], upgraded.Effects);
        Assert.Contains(new Gauge(SessionGauge.Upgraded, -1), left.Effects);
        Assert.Contains(new Gauge(SessionGauge.Paired, -1), left.Effects);
    }

    [Fact]
    public void Opting_in_hands_the_client_a_token_and_keeps_it_fresh()
    {
        var optedIn = Idle().Handle(new ClientOptIn(Me));

        Assert.Equal([new StartTimer(SessionTimer.TokenRefresh, TokenRefreshElapsed.Instance), new ToClient(new TokenNotice(new ResumeClaims(Me, ResumeState.Idle, null, null, false, 2)))],
            optedIn.Effects);
        Assert.Equal([new ToClient(new TokenNotice(new ResumeClaims(Me, ResumeState.Idle, null, null, false, 3)))],
            optedIn.State.Handle(TokenRefreshElapsed.Instance).Effects);
    }

    [Fact]
    public void A_resumable_client_gets_a_token_when_its_pairing_changes_and_not_for_a_relay()
    {
        var optedIn = Joining().Handle(new ClientOptIn(Me)).State;

        var paired = optedIn.Handle(new PeerFound(Me, Code, Partner, Initiator: true, FirstJoin, PartnerResumable: true));
        var relayed = Send(paired.State, "1");

        Assert.Single(paired.Effects, e => e.IsToken());
        Assert.DoesNotContain(relayed.Effects, e => e.IsToken());
    }

    [Fact]
    public void An_absent_client_counts_as_away_through_its_grace_period_and_a_resume_ends_both()
    {
        var away = ResumablePaired().Handle(new ConnectionClosed(Me));
        var back = away.State.Handle(new ResumeConnection(Me, ActorRefs.Nobody, Claims(ResumeState.Paired), 0));

        Assert.Contains(new Gauge(SessionGauge.Away, 1), away.Effects);
        Assert.Contains(new StartTimer(SessionTimer.Grace, GraceElapsed.Instance), away.Effects);
        Assert.Contains(new Gauge(SessionGauge.Away, -1), back.Effects);
        Assert.Contains(new CancelTimer(SessionTimer.Grace), back.Effects);
        Assert.Contains(new StartTimer(SessionTimer.Replay, ReplayElapsed.Instance), back.Effects);
    }

    [Fact]
    public void A_resumed_session_waits_for_the_replay_until_the_partner_answers()
    {
        var away = ResumablePaired().Handle(new ConnectionClosed(Me)).State;
        var back = away.Handle(new ResumeConnection(Me, ActorRefs.Nobody, Claims(ResumeState.Paired), 0)).State;

        var answered = back.Handle(new PartnerResumeAnswer(Me, Partner, ResumeVerdict.Accepted, 0));

        Assert.Equal([new CancelTimer(SessionTimer.Replay)], answered.Effects);
        Assert.IsType<ToClient>(Assert.Single(answered.State.Handle(Relay(1)).Effects));
    }

    [Fact]
    public void A_lost_resumable_partner_is_waited_for_and_hailed_until_it_is_watched_again()
    {
        var watched = ResumablePaired().Handle(new PartnerWatched(Partner));

        var lost = watched.State.Handle(PartnerLost.Instance);
        var back = lost.State.Handle(new PartnerResumed(Me, Partner, Code, 0)).State.Handle(new PartnerWatched(Partner));

        Assert.Contains(new CancelTimer(SessionTimer.HelloAgain), watched.Effects);
        Assert.Contains(new StartTimer(SessionTimer.PartnerGrace, new PartnerGraceElapsed(Partner)), lost.Effects);
        Assert.Contains(new StartTimer(SessionTimer.HelloAgain, HelloAgainElapsed.Instance), lost.Effects);
        Assert.Equal([new CancelTimer(SessionTimer.HelloAgain)], back.Effects);
    }

    [Fact]
    public void A_new_pairing_says_hello_again_until_its_partner_is_watched()
    {
        var paired = Joining().Handle(new PeerFound(Me, Code, Partner, Initiator: true, FirstJoin));

        Assert.Contains(new StartTimer(SessionTimer.HelloAgain, HelloAgainElapsed.Instance), paired.Effects);
        Assert.Equal([new ToPartner(new PartnerHello(Partner, Me, Code, AskBack: true))],
            paired.State.Handle(HelloAgainElapsed.Instance).Effects);
    }

    [Fact]
    public void A_rebuilt_pairing_runs_its_confirmation_and_replay_waits_and_fails_when_confirmation_runs_out()
    {
        var rebuilt = Unattached().Handle(new ResumeConnection(Me, ActorRefs.Nobody, Claims(ResumeState.Paired), 2));
        var unknown = rebuilt.State.Handle(new PartnerResumeAnswer(Me, Partner, ResumeVerdict.Unknown, 0));
        var failed = unknown.State.Handle(ConfirmElapsed.Instance);

        Assert.Contains(new StartTimer(SessionTimer.Confirm, ConfirmElapsed.Instance), rebuilt.Effects);
        Assert.Contains(new StartTimer(SessionTimer.Replay, ReplayElapsed.Instance), rebuilt.Effects);
        Assert.Equal([new CancelTimer(SessionTimer.Replay)], unknown.Effects);
        Assert.Contains(new ToClient(new RefusedNotice(Refusal.PartnerDidNotReturn)), failed.Effects);
        Assert.Contains(new CancelTimer(SessionTimer.Confirm), failed.Effects);
    }

    [Theory]
    [InlineData(ResumeState.Idle)]
    [InlineData(ResumeState.Waiting)]
    public void A_successor_hands_its_client_the_token_that_counts_right_after_resumed(ResumeState claimed)
    {
        var succeeded = Idle().Handle(new ResumeConnection(Me, ActorRefs.Nobody, ClaimsOf(Predecessor, claimed), 0));

        var toClient = succeeded.Effects.Where(e => e is ToClient).ToList();
        var resumed = toClient.FindIndex(e => e is ToClient { Message: ResumedNotice });
        Assert.True(toClient[resumed + 1].IsToken());
    }

    [Fact]
    public void A_socket_that_serves_another_session_passes_its_end_on_and_its_first_session_stops()
    {
        var successor = new SessionId("resumed");
        var handedOver = Idle().Handle(new HandOver(Me, successor)).State;

        var closed = handedOver.Handle(new ConnectionClosed(Me, ActorRefs.Nobody));

        Assert.Equal([new ToPartner(new ConnectionClosed(successor, ActorRefs.Nobody)), Stop.Instance], closed.Effects);
    }

    [Fact]
    public void An_entity_no_connection_came_to_stops()
    {
        Assert.Equal([Stop.Instance], Unattached().Handle(NoConnectionCame.Instance).Effects);
    }

    [Fact]
    public void A_stopped_entity_leaves_every_gauge_it_counted_and_tells_nobody()
    {
        var upgraded = ResumablePaired().Handle(new ClientRtcStatus(Me, RtcPath.Upgraded)).State;
        var away = upgraded.Handle(new ConnectionClosed(Me)).State;

        var stopped = away.Handle(EntityStopped.Instance);

        var gauges = stopped.Effects.OfType<Gauge>().ToHashSet();
        Assert.Equal([new Gauge(SessionGauge.Paired, -1), new Gauge(SessionGauge.Upgraded, -1), new Gauge(SessionGauge.Away, -1)], gauges);
        Assert.Empty(stopped.Messages());
        Assert.Empty(stopped.State.Handle(EntityStopped.Instance).Effects);
    }

    [Fact]
    public void A_stopped_waiting_entity_leaves_the_waiting_count()
    {
        var stopped = Waiting().Handle(EntityStopped.Instance);

        Assert.Contains(new Gauge(SessionGauge.Waiting, -1), stopped.Effects);
        Assert.Empty(stopped.Messages());
    }

    [Fact]
    public void A_pair_is_counted_once_by_its_initiator()
    {
        var initiator = Joining().Handle(new PeerFound(Me, Code, Partner, Initiator: true, FirstJoin));
        var other = Waiting().Handle(new PeerFound(Me, Code, Partner, Initiator: false, FirstJoin));

        Assert.Single(initiator.Effects, e => e is PairFormed);
        Assert.DoesNotContain(PairFormed.Instance, other.Effects);
    }

    [Fact]
    public void An_absent_client_hears_what_happened_meanwhile_right_after_session_when_it_comes_back()
    {
        var away = ResumablePaired().Handle(new ConnectionClosed(Me)).State;
        var left = away.Handle(new PartnerLeft(Me, Code, Partner, FirstJoin));

        var back = left.State.Handle(new ResumeConnection(Me, ActorRefs.Nobody, Claims(ResumeState.Waiting), 0));

        Assert.DoesNotContain(left.Effects, e => e is ToClient);
        var heard = back.Effects.OfType<ToClient>().Select(e => e.Message).ToList();
        Assert.IsType<SessionStarted>(heard[0]);
        Assert.Equal(PeerLeftNotice.Instance, heard[1]);
    }

    [Fact]
    public void An_absent_client_is_kept_only_so_many_notices()
    {
        var away = ResumablePaired().Handle(new ConnectionClosed(Me)).State.Handle(new PartnerLeft(Me, Code, Partner, FirstJoin)).State;
        var comeAndGo = Enumerable.Range(0, ClientState.MaxKeptNotices).Select(i => new SessionId($"passer-by-{i}"))
            .Aggregate(away, (s, passer) => s
                .Handle(new PeerFound(Me, Code, passer, Initiator: false, FirstJoin)).State
                .Handle(new PartnerLeft(Me, Code, passer, FirstJoin)).State);

        var back = comeAndGo.Handle(new ResumeConnection(Me, ActorRefs.Nobody, Claims(ResumeState.Waiting), 0));

        Assert.Equal(1 + ClientState.MaxKeptNotices, back.Effects.Count(e => e is ToClient { Message: not ResumedNotice }));
    }
}
