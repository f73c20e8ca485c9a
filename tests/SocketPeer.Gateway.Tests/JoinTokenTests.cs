using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SocketPeer.Gateway.JoinTokens;
using SocketPeer.Testing;

namespace SocketPeer.Gateway.Tests;

/// <summary>
/// A server that requires join tokens, with three keys as during a key rollout: two HS256 secrets
/// (the old and the new) and a backend's ES256 public key.
/// </summary>
public sealed class JoinTokenFixture : ServerFixture
{
    public const string Issuer = "https://app.example.com";
    public const string Audience = "socketpeer-test";

    public static readonly byte[] OldSecret = RandomNumberGenerator.GetBytes(32);
    public static readonly byte[] NewSecret = RandomNumberGenerator.GetBytes(32);
    public static readonly ECDsa Backend = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    protected override (string, string)[] Settings =>
    [
        ("SocketPeer:JoinTokens:Required", "true"),
        ("SocketPeer:JoinTokens:Issuer", Issuer),
        ("SocketPeer:JoinTokens:Audience", Audience),
        ("SocketPeer:JoinTokens:Keys:0:Id", "old"),
        ("SocketPeer:JoinTokens:Keys:0:Algorithm", "HS256"),
        ("SocketPeer:JoinTokens:Keys:0:Secret", Convert.ToBase64String(OldSecret)),
        ("SocketPeer:JoinTokens:Keys:1:Id", "new"),
        ("SocketPeer:JoinTokens:Keys:1:Algorithm", "HS256"),
        ("SocketPeer:JoinTokens:Keys:1:Secret", Convert.ToBase64String(NewSecret)),
        ("SocketPeer:JoinTokens:Keys:2:Id", "backend-ec"),
        ("SocketPeer:JoinTokens:Keys:2:Algorithm", "ES256"),
        ("SocketPeer:JoinTokens:Keys:2:PublicKey", Backend.ExportSubjectPublicKeyInfoPem()),
    ];
}

/// <summary>What an application's backend would mint: a few claims, signed, short-lived.</summary>
public sealed record Mint(string? Code = null, string? Prefix = null, string Key = "new", TimeSpan? ExpiresIn = null,
    string? Issuer = JoinTokenFixture.Issuer, string? Audience = JoinTokenFixture.Audience, byte[]? SignWith = null,
    bool NameKey = true)
{
    public string Token()
    {
        var claims = new Dictionary<string, object>();
        if (Code is not null) claims[JoinTokenCheck.CodeClaim] = Code;
        if (Prefix is not null) claims[JoinTokenCheck.CodePrefixClaim] = Prefix;
        var now = DateTime.UtcNow;
        var expires = now + (ExpiresIn ?? TimeSpan.FromMinutes(5));
        var descriptor = new SecurityTokenDescriptor
        {
            Claims = claims,
            Issuer = Issuer,
            Audience = Audience,
            // The library refuses a NotBefore after Expires, so an expired token starts before it ends.
            NotBefore = expires < now ? expires - TimeSpan.FromMinutes(1) : now,
            IssuedAt = expires < now ? expires - TimeSpan.FromMinutes(1) : now,
            Expires = expires,
            SigningCredentials = Key == "backend-ec"
                ? new SigningCredentials(new ECDsaSecurityKey(JoinTokenFixture.Backend) { KeyId = Key }, SecurityAlgorithms.EcdsaSha256)
                : new SigningCredentials(new SymmetricSecurityKey(SignWith ?? (Key == "old" ? JoinTokenFixture.OldSecret : JoinTokenFixture.NewSecret)) { KeyId = NameKey ? Key : null },
                    SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }
}

public sealed class JoinTokenTests(JoinTokenFixture fixture) : IClassFixture<JoinTokenFixture>
{
    private static string Code() => "jt-" + Guid.NewGuid().ToString("N")[..12];

    private Task<TestClient> ConnectAsync(string? urlToken = null) => TestClient.ConnectAsync(urlToken is null
        ? fixture.Server.Socket
        : new UriBuilder(fixture.Server.Socket) { Query = "token=" + Uri.EscapeDataString(urlToken) }.Uri);

    private static Task PairAsync(TestClient client, string code, string? token) =>
        client.SendTextAsync(JsonSerializer.Serialize(new { type = "pair", data = code, token }));

    [Fact]
    public async Task Two_clients_with_tokens_for_their_code_pair()
    {
        var code = Code();
        await using var a = await ConnectAsync();
        await using var b = await ConnectAsync();

        await PairAsync(a, code, new Mint(code).Token());
        await PairAsync(b, code, new Mint(code).Token());

        await a.ExpectAsync("peer.found");
        await b.ExpectAsync("peer.found");
    }

    /// <summary>
    /// A refused <c>pair</c> is never seated: had it been, the next client with a good token would
    /// have paired with it, and the third would have heard <c>busy</c>.
    /// </summary>
    [Theory]
    [InlineData("missing", "join-token-required")]
    [InlineData("expired", "join-token-expired")]
    [InlineData("forged", "join-token-invalid")]
    [InlineData("another code", "join-token-code")]
    [InlineData("another prefix", "join-token-code")]
    [InlineData("another issuer", "join-token-invalid")]
    [InlineData("another audience", "join-token-invalid")]
    [InlineData("lives a day", "join-token-invalid")]
    [InlineData("no code claim", "join-token-invalid")]
    [InlineData("both code claims", "join-token-invalid")]
    [InlineData("unsigned", "join-token-invalid")]
    [InlineData("not a token", "join-token-invalid")]
    public async Task A_pair_with_a_bad_token_is_refused_and_never_seated(string what, string error)
    {
        var code = Code();
        var token = what switch
        {
            "missing" => null,
            "expired" => new Mint(code, ExpiresIn: TimeSpan.FromMinutes(-5)).Token(),
            "forged" => new Mint(code, SignWith: RandomNumberGenerator.GetBytes(32)).Token(),
            "another code" => new Mint(code + "x").Token(),
            "another prefix" => new Mint(Prefix: "other-").Token(),
            "another issuer" => new Mint(code, Issuer: "https://evil.example.com").Token(),
            "another audience" => new Mint(code, Audience: "another-service").Token(),
            "lives a day" => new Mint(code, ExpiresIn: TimeSpan.FromDays(1)).Token(),
            "no code claim" => new Mint().Token(),
            "both code claims" => new Mint(code, Prefix: "jt-").Token(),
            "unsigned" => Unsigned(code),
            "not a token" => "eyJhbGciOi.not.a-token",
            _ => throw new ArgumentOutOfRangeException(nameof(what)),
        };
        await using var refused = await ConnectAsync();
        await using var first = await ConnectAsync();
        await using var second = await ConnectAsync();

        await PairAsync(refused, code, token);
        await refused.ExpectErrorAsync(error);
        await PairAsync(first, code, new Mint(code).Token());
        await PairAsync(second, code, new Mint(code).Token());

        await first.ExpectAsync("peer.found");
        await second.ExpectAsync("peer.found");
        await refused.ExpectNothingPendingAsync(); // still served, and never paired
    }

    [Fact]
    public async Task During_a_key_rollout_tokens_of_the_old_and_the_new_key_and_of_the_backends_public_key_are_accepted()
    {
        var code = Code();
        await using var a = await ConnectAsync();
        await using var b = await ConnectAsync();
        await using var c = await ConnectAsync();
        await using var d = await ConnectAsync();

        await PairAsync(a, code, new Mint(code, Key: "old").Token());
        await PairAsync(b, code, new Mint(code, Key: "new").Token());
        await a.ExpectAsync("peer.found");
        await b.ExpectAsync("peer.found");

        var other = Code();
        await PairAsync(c, other, new Mint(other, Key: "backend-ec").Token());
        await PairAsync(d, other, new Mint(Prefix: "jt-", Key: "backend-ec").Token());
        await c.ExpectAsync("peer.found");
        await d.ExpectAsync("peer.found");
    }

    [Fact]
    public async Task A_token_naming_a_key_the_server_does_not_have_is_refused()
    {
        var code = Code();
        await using var client = await ConnectAsync();

        await PairAsync(client, code, new Mint(code, Key: "retired", SignWith: JoinTokenFixture.NewSecret).Token());

        await client.ExpectErrorAsync("join-token-invalid");
    }

    [Fact]
    public async Task A_token_that_names_no_key_is_checked_against_every_key()
    {
        var code = Code();
        await using var a = await ConnectAsync();
        await using var b = await ConnectAsync();

        await PairAsync(a, code, new Mint(code, Key: "old", NameKey: false).Token());
        await PairAsync(b, code, new Mint(code, NameKey: false).Token());

        await a.ExpectAsync("peer.found");
        await b.ExpectAsync("peer.found");
    }

    /// <summary>The original client cannot add a field to <c>pair</c>; its page can put the token in the socket's URL.</summary>
    [Fact]
    public async Task A_pair_without_a_token_field_uses_the_token_in_the_socket_url()
    {
        var code = Code();
        await using var a = await ConnectAsync(urlToken: new Mint(code).Token());
        await using var b = await ConnectAsync(urlToken: new Mint(Prefix: "jt-").Token());

        await a.PairAsync(code);
        await b.PairAsync(code);

        await a.ExpectAsync("peer.found");
        await b.ExpectAsync("peer.found");
    }

    [Fact]
    public async Task A_token_that_is_not_a_string_is_a_bad_message()
    {
        await using var client = await ConnectAsync();

        await client.SendTextAsync("{\"type\":\"pair\",\"data\":\"" + Code() + "\",\"token\":{\"jwt\":1}}");

        await client.ExpectErrorAsync("bad-message");
    }

    /// <summary>A token re-encoded with <c>alg: none</c> and no signature (the classic downgrade).</summary>
    private static string Unsigned(string code)
    {
        var signed = new Mint(code).Token().Split('.');
        var header = Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""");
        return $"{header}.{signed[1]}.";
    }
}

/// <summary>Without the option, a <c>pair</c> needs no token: the original client keeps working.</summary>
public sealed class JoinTokensOffTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task By_default_a_pair_needs_no_token_and_a_token_sent_anyway_is_ignored()
    {
        var code = "off-" + Guid.NewGuid().ToString("N")[..12];
        await using var a = await TestClient.ConnectAsync(fixture.Server.Socket);
        await using var b = await TestClient.ConnectAsync(fixture.Server.Socket);

        await a.PairAsync(code);
        await b.SendTextAsync(JsonSerializer.Serialize(new { type = "pair", data = code, token = "not-checked" }));

        await a.ExpectAsync("peer.found");
        await b.ExpectAsync("peer.found");
    }
}
