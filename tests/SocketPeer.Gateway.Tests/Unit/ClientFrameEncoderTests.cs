using System.Text.Json;
using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Sessions;
using SocketPeer.Gateway.Ice;
using SocketPeer.Gateway.Options;
using SocketPeer.Gateway.Protocol;

namespace SocketPeer.Gateway.Tests.Unit;

/// <summary>The claims a session issues reach the client as a signed token the gateway reads back.</summary>
public sealed class ClientFrameEncoderTests
{
    private static readonly ResumeTokens Tokens = new(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray(), TimeSpan.FromMinutes(10), TimeProvider.System);
    private static readonly ClientFrameEncoder Encoder = new(new IceServerProvider(Microsoft.Extensions.Options.Options.Create(new SocketPeerOptions()), TimeProvider.System), Tokens);
    private static readonly ResumeClaims Claims = new(new SessionId("s1"), ResumeState.Paired, new PairCode("c"), new SessionId("p"), true, 4);

    [Fact]
    public void A_session_message_carries_the_signed_token_of_its_claims_and_the_grace_period()
    {
        var data = Written(new SessionStarted(new SessionId("s1"), Claims, 30));

        Assert.Equal("session", data.Type);
        Assert.Equal(Claims, Tokens.Read(data.Data.GetProperty("token").GetString(), out _));
        Assert.Equal(30, data.Data.GetProperty("resumeGrace").GetInt32());
    }

    [Fact]
    public void A_session_token_message_carries_the_signed_token_of_its_claims()
    {
        var data = Written(new TokenNotice(Claims));

        Assert.Equal("session.token", data.Type);
        Assert.Equal(Claims, Tokens.Read(data.Data.GetProperty("token").GetString(), out _));
    }

    private static (string Type, JsonElement Data) Written(IClientMessage message)
    {
        using var frame = Encoder.Encode(message);
        using var json = JsonDocument.Parse(frame.Memory);
        return (json.RootElement.GetProperty("type").GetString()!, json.RootElement.GetProperty("data").Clone());
    }
}
