using Akka.Actor;
using SocketPeer.Actors.Sessions;
using static SocketPeer.Actors.Sessions.SessionEffect;
using static SocketPeer.Actors.Sessions.SessionPhase;
using static SocketPeer.Actors.Tests.Sessions.Given;
using static SocketPeer.Actors.Tests.Sessions.ResumeScenario;

namespace SocketPeer.Actors.Tests.Sessions;

/// <summary>
/// Which token resumes a session (docs/protocol.md, "Which token resumes"): tokens are numbered in
/// the order the client gets them; a live session takes back only its latest or the one before it,
/// and is untouched by an older one; a new entity is rebuilt from a paired or waiting token but not
/// from an idle one; a rebuilt session numbers on from the token it was rebuilt from.
/// </summary>
public sealed class TokenGenerationTests
{
    private static ResumeConnection ResumeWith(ResumeClaims claims) => new(Me, ActorRefs.Nobody, claims, 0);

    [Fact]
    public void Tokens_are_numbered_in_the_order_the_client_gets_them()
    {
        var attached = Unattached().Handle(new AttachConnection(Me, ActorRefs.Nobody));
        var optedIn = attached.State.Handle(new ClientOptIn(Me));
        var joining = optedIn.State.Handle(new ClientPair(Me, Code));
        var refreshed = joining.State.Handle(TokenRefreshElapsed.Instance);

        Assert.Equal([1L, 2L, 3L, 4L],
            [.. new[] { attached, optedIn, joining, refreshed }.SelectMany(t => t.Tokens()).Select(c => c.Generation)]);
        Assert.Equal(new ResumeClaims(Me, ResumeState.Waiting, Code, null, false, 4), Assert.Single(refreshed.Tokens()));
        Assert.Equal(4, refreshed.State.TokensIssued);
    }

    [Fact]
    public void No_token_is_issued_while_no_socket_serves_the_client()
    {
        var away = ResumablePaired().Handle(new ConnectionClosed(Me)).State;

        var refreshed = away.Handle(TokenRefreshElapsed.Instance);

        Assert.Empty(refreshed.Tokens());
        Assert.Equal(away.TokensIssued, refreshed.State.TokensIssued);
    }

    [Fact]
    public void A_live_session_takes_back_its_latest_token()
    {
        var live = ResumablePaired();

        var resumed = live.Handle(ResumeWith(live.ClaimsOf(live.TokensIssued)));

        Assert.Null(live.Refuses(ResumeWith(live.ClaimsOf(live.TokensIssued))));
        Assert.Contains(new ToClient(new ResumedNotice(0, ResumeState.Paired)), resumed.Messages());
    }

    [Fact]
    public void A_live_session_takes_back_the_token_before_its_latest_for_a_refresh_lost_with_the_socket()
    {
        var live = ResumablePaired();

        var resumed = live.Handle(ResumeWith(live.ClaimsOf(live.TokensIssued - 1)));

        Assert.Contains(new ToClient(new ResumedNotice(0, ResumeState.Paired)), resumed.Messages());
    }

    [Fact]
    public void An_older_token_is_refused_and_leaves_the_live_session_untouched()
    {
        var live = ResumablePaired();
        var stale = ResumeWith(live.ClaimsOf(live.TokensIssued - 2));

        var result = live.Handle(stale);

        Assert.Equal(ResumeRefusal.Superseded, live.Refuses(stale));
        Assert.Same(live, result.State);
        Assert.Empty(result.Effects);
    }

    [Fact]
    public void A_token_saved_before_a_re_pair_no_longer_resumes_the_session()
    {
        var paired = ResumablePaired();
        var saved = paired.ClaimsOf(paired.TokensIssued);
        var repaired = paired.Handle(new ClientPair(Me, OtherCode)).State
            .Handle(new PeerFound(Me, OtherCode, Stranger, Initiator: true, 2, PartnerResumable: true)).State;

        Assert.Equal(ResumeRefusal.Superseded, repaired.Refuses(ResumeWith(saved)));
        Assert.Null(repaired.Refuses(ResumeWith(repaired.ClaimsOf(repaired.TokensIssued))));
    }

    [Fact]
    public void An_absent_session_refuses_an_older_token_too()
    {
        var away = ResumablePaired().Handle(new ConnectionClosed(Me)).State;

        Assert.Equal(ResumeRefusal.Superseded, away.Refuses(ResumeWith(away.ClaimsOf(away.TokensIssued - 2))));
        Assert.True(away.Handle(ResumeWith(away.ClaimsOf(away.TokensIssued - 2))).State.Away);
    }

    [Fact]
    public void An_idle_token_does_not_bring_back_a_session_whose_entity_is_gone()
    {
        var claims = new ResumeClaims(Me, ResumeState.Idle, null, null, false, Latest);

        var result = Unattached().Handle(ResumeWith(claims));

        Assert.Equal(ResumeRefusal.Ended, Unattached().Refuses(ResumeWith(claims)));
        Assert.IsType<Unattached>(result.State.Phase);
        Assert.Empty(result.Effects);
    }

    [Theory]
    [InlineData(ResumeState.Waiting)]
    [InlineData(ResumeState.Paired)]
    public void A_waiting_or_paired_token_rebuilds_a_session_whose_entity_is_gone(ResumeState state)
    {
        var claims = Claims(state) with { Partner = state == ResumeState.Paired ? Partner : null };

        Assert.Null(Unattached().Refuses(ResumeWith(claims)));
        Assert.IsNotType<Unattached>(Unattached().Handle(ResumeWith(claims)).State.Phase);
    }

    [Fact]
    public void A_rebuilt_session_numbers_on_from_the_token_it_was_rebuilt_from()
    {
        var rebuilt = Unattached().Handle(ResumeWith(Claims(ResumeState.Paired) with { Generation = 7 }));

        Assert.Equal(8, Assert.Single(rebuilt.Tokens()).Generation);
        Assert.Null(rebuilt.State.Refuses(ResumeWith(Claims(ResumeState.Paired) with { Generation = 7 })));
        Assert.Equal(ResumeRefusal.Superseded, rebuilt.State.Refuses(ResumeWith(Claims(ResumeState.Paired) with { Generation = 6 })));
    }

    [Fact]
    public void A_successor_numbers_its_own_tokens_whatever_its_predecessors_token_said()
    {
        var idle = Idle();

        var succeeded = idle.Handle(new ResumeConnection(Me, ActorRefs.Nobody, ClaimsOf(Predecessor, ResumeState.Paired) with { Generation = 1 }, 0));

        Assert.Null(idle.Refuses(new ResumeConnection(Me, ActorRefs.Nobody, ClaimsOf(Predecessor, ResumeState.Paired) with { Generation = 1 }, 0)));
        Assert.Equal(idle.TokensIssued + 1, Assert.Single(succeeded.Tokens()).Generation);
        Assert.Equal(Me, Assert.Single(succeeded.Tokens()).Session);
    }

    [Fact]
    public void A_session_that_ends_issues_no_token()
    {
        var ended = ResumablePaired().Handle(new ConnectionClosed(Me)).State.Handle(GraceElapsed.Instance);

        Assert.Contains(Stop.Instance, ended.Effects);
        Assert.Empty(ended.Tokens());
    }
}
