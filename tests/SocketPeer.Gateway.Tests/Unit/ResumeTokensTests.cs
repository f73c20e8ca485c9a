using System.Buffers.Text;
using System.Security.Cryptography;
using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Sessions;
using SocketPeer.Gateway.Protocol;

namespace SocketPeer.Gateway.Tests.Unit;

public sealed class ResumeTokensTests
{
    private static readonly byte[] Secret = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    private static readonly byte[] NewSecret = Enumerable.Range(101, 32).Select(i => (byte)i).ToArray();
    private static readonly SessionId Me = new("0123456789abcdef0123456789abcdef");
    private static readonly SessionId Partner = new("fedcba9876543210fedcba9876543210");
    private static readonly ResumeClaims Paired = new(Me, ResumeState.Paired, new PairCode("blue-fox"), Partner, true, 7);
    private static readonly ResumeClaims Idle = new(Me, ResumeState.Idle, null, null, false, 1);
    private readonly SettableTime _time = new(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));

    private ResumeTokens Tokens(byte[]? secret = null) => new(secret ?? Secret, TimeSpan.FromMinutes(10), _time);

    private ResumeTokens Keys(SigningKey current, params SigningKey[] previous) =>
        new(new SigningKeys(current, previous), TimeSpan.FromMinutes(10), _time);

    [Fact]
    public void A_token_reads_back_as_the_claims_it_was_issued_for()
    {
        var token = Tokens().Issue(Paired);

        var claims = Tokens().Read(token, out var problem);

        Assert.Null(problem);
        Assert.Equal(Paired, claims);
    }

    [Fact]
    public void Two_tokens_for_the_same_claims_differ()
    {
        var tokens = Tokens();

        Assert.NotEqual(tokens.Issue(Idle), tokens.Issue(Idle));
    }

    [Fact]
    public void A_changed_byte_anywhere_is_refused()
    {
        var token = Tokens().Issue(Idle with { State = ResumeState.Waiting, Code = new PairCode("c") });

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
        var token = Tokens(other).Issue(Idle);

        Assert.Null(Tokens().Read(token, out var problem));
        Assert.Equal("the token was not issued by this service (or its key was retired)", problem);
    }

    [Fact]
    public void An_expired_token_is_refused()
    {
        var token = Tokens().Issue(Idle);

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

    [Fact]
    public void Two_keys_of_one_id_are_refused() =>
        Assert.Throws<ArgumentException>(() => new SigningKeys(new SigningKey(new KeyId("a"), Secret), [new SigningKey(new KeyId("a"), NewSecret)]));

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("123456789012345678901234567890123")]
    public void A_key_id_outside_the_rules_is_refused(string id) => Assert.Throws<ArgumentException>(() => new KeyId(id));

    [Fact]
    public void During_a_rotation_a_token_signed_with_the_previous_key_is_accepted()
    {
        var old = new SigningKey(new KeyId("2026-11"), Secret);
        var token = Keys(old).Issue(Paired);

        var rotated = Keys(new SigningKey(new KeyId("2026-12"), NewSecret), old);

        Assert.Equal(Paired, rotated.Read(token, out var problem));
        Assert.Null(problem);
    }

    [Fact]
    public void A_token_is_signed_with_the_current_key_which_a_node_not_rotated_yet_accepts_as_its_next()
    {
        // Mid-rollout: nodes that sign with the new key and nodes that still sign with the old one
        // each list the other's key, so a token of either resumes on either.
        var old = new SigningKey(new KeyId("2026-11"), Secret);
        var next = new SigningKey(new KeyId("2026-12"), NewSecret);
        var rotated = Keys(next, old);
        var notYet = Keys(old, next);

        Assert.Equal(Paired, notYet.Read(rotated.Issue(Paired), out _));
        Assert.Equal(Paired, rotated.Read(notYet.Issue(Paired), out _));
        Assert.Null(Keys(old).Read(rotated.Issue(Paired), out _)); // signed with the new key, not the old one
    }

    [Fact]
    public void Once_the_previous_key_is_removed_its_tokens_are_refused()
    {
        var old = new SigningKey(new KeyId("2026-11"), Secret);
        var token = Keys(old).Issue(Paired);

        var retired = Keys(new SigningKey(new KeyId("2026-12"), NewSecret));

        Assert.Null(retired.Read(token, out var problem));
        Assert.Equal("the token was not issued by this service (or its key was retired)", problem);
    }

    [Fact]
    public void A_token_naming_a_known_key_but_signed_with_another_secret_is_refused()
    {
        var forged = Keys(new SigningKey(new KeyId("1"), NewSecret)).Issue(Paired);

        Assert.Null(Tokens().Read(forged, out _));
    }

    [Fact]
    public void A_token_of_the_release_before_key_ids_is_accepted_as_generation_one()
    {
        var token = FirstFormat(Secret, Paired, _time.GetUtcNow().AddMinutes(5));

        Assert.Equal(Paired with { Generation = 1 }, Tokens().Read(token, out _));
        Assert.Equal(Paired with { Generation = 1 }, Keys(new SigningKey(new KeyId("new"), NewSecret), new SigningKey(new KeyId("old"), Secret)).Read(token, out _));
        Assert.Null(Tokens(NewSecret).Read(token, out _));
    }

    /// <summary>The token format before key ids and generations (version 1), as that release wrote it.</summary>
    private static string FirstFormat(byte[] secret, ResumeClaims c, DateTimeOffset expires)
    {
        using var body = new MemoryStream();
        using (var w = new BinaryWriter(body, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            w.Write((byte)1);
            w.Write(new byte[16]);
            w.Write(c.Session.Value);
            w.Write((byte)c.State);
            w.Write(c.Code?.Value ?? "");
            w.Write(c.Partner?.Value ?? "");
            w.Write(c.PartnerResumable);
            w.Write(expires.ToUnixTimeSeconds());
        }
        var bytes = body.ToArray();
        return Base64Url.EncodeToString(bytes) + "." + Base64Url.EncodeToString(HMACSHA256.HashData(secret, bytes));
    }

    private sealed class SettableTime(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }
}
