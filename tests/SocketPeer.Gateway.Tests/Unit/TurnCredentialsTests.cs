using SocketPeer.Gateway.Ice;

namespace SocketPeer.Gateway.Tests.Unit;

public sealed class TurnCredentialsTests
{
    // Vectors computed independently with Python's hmac module:
    //   base64.b64encode(hmac.new(secret, username, hashlib.sha1).digest())
    [Theory]
    [InlineData("north-pole", 1700003600L, "alice", "1700003600:alice", "xVfUW5OYaRL/pFybksTWhCLF4cQ=")]
    [InlineData("s3cr3t-with-é", 1893456000L, "9f2c0000000000000000000000000001",
        "1893456000:9f2c0000000000000000000000000001", "MpNLRZKYAUXe9FVkJokc76ETjvA=")]
    public void Credentials_follow_the_shared_secret_scheme(string secret, long expiry, string id, string username, string credential)
    {
        var minted = TurnCredentials.Create(secret, id, DateTimeOffset.FromUnixTimeSeconds(expiry));

        Assert.Equal(username, minted.Username);
        Assert.Equal(credential, minted.Credential);
    }

    [Fact]
    public void Another_secret_gives_another_credential()
    {
        var at = DateTimeOffset.FromUnixTimeSeconds(1700003600);
        Assert.NotEqual(TurnCredentials.Create("a", "x", at).Credential, TurnCredentials.Create("b", "x", at).Credential);
    }
}
