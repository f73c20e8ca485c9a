using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Sessions;

namespace SocketPeer.Actors.Tests.Sessions;

public sealed class ResumeTokensTests
{
    private static readonly byte[] Secret = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    private static readonly SessionId Me = new("0123456789abcdef0123456789abcdef");
    private static readonly SessionId Partner = new("fedcba9876543210fedcba9876543210");
    private readonly SettableTime _time = new(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));

    private ResumeTokens Tokens(byte[]? secret = null) => new(secret ?? Secret, TimeSpan.FromMinutes(10), _time);

    [Fact]
    public void A_token_reads_back_as_what_it_was_issued_for()
    {
        var token = Tokens().Issue(Me, ResumeState.Paired, new PairCode("blue-fox"), Partner, partnerResumable: true);

        var claims = Tokens().Read(token, out var problem);

        Assert.Null(problem);
        Assert.Equal(new ResumeClaims(Me, ResumeState.Paired, new PairCode("blue-fox"), Partner, true,
            _time.GetUtcNow().AddMinutes(10)), claims);
    }

    [Fact]
    public void Two_tokens_for_the_same_state_differ()
    {
        var tokens = Tokens();

        Assert.NotEqual(tokens.Issue(Me, ResumeState.Idle, null, null, false), tokens.Issue(Me, ResumeState.Idle, null, null, false));
    }

    [Fact]
    public void A_changed_byte_anywhere_is_refused()
    {
        var token = Tokens().Issue(Me, ResumeState.Waiting, new PairCode("c"), null, false);

        for (var i = 0; i < token.Length; i++)
        {
            if (token[i] == '.') continue;
            var changed = token[..i] + (token[i] == 'A' ? 'B' : 'A') + token[(i + 1)..];
            Assert.Null(Tokens().Read(changed, out _));
        }
    }

    [Fact]
    public void A_token_from_another_secret_is_refused()
    {
        var other = Enumerable.Repeat((byte)7, 32).ToArray();
        var token = Tokens(other).Issue(Me, ResumeState.Idle, null, null, false);

        Assert.Null(Tokens().Read(token, out var problem));
        Assert.Equal("the token was not issued by this service", problem);
    }

    [Fact]
    public void An_expired_token_is_refused()
    {
        var token = Tokens().Issue(Me, ResumeState.Idle, null, null, false);

        _time.Now += TimeSpan.FromMinutes(10);

        Assert.Null(Tokens().Read(token, out var problem));
        Assert.Equal("the token has expired", problem);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("abc")]
    [InlineData("!!!.???")]
    public void Garbage_is_refused(string? token) => Assert.Null(Tokens().Read(token, out _));

    [Fact]
    public void A_short_secret_is_refused() =>
        Assert.Throws<ArgumentException>(() => new ResumeTokens(new byte[31], TimeSpan.FromMinutes(1), _time));

    private sealed class SettableTime(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }
}
