using System.Text;
using SocketPeer.Actors.Sessions;
using SocketPeer.Gateway.Options;
using SocketPeer.Gateway.Protocol;

namespace SocketPeer.Gateway.Tests.Unit;

public sealed class WireCodecTests
{
    private static readonly SessionId Session = new("s1");
    private readonly WireDecoder _decoder = new(new PairCodeValidator(Microsoft.Extensions.Options.Options.Create(new SocketPeerOptions())));

    private InboundDecision Decode(string json) => _decoder.Decode(Encoding.UTF8.GetBytes(json), Session);

    [Fact]
    public void Data_keeps_the_exact_bytes_of_its_payload()
    {
        var decision = Decode("""{"type":"data","data": [1, 2.50 , "\u00e9"] }""");

        var relay = Assert.IsType<ClientRelay>(Assert.IsType<InboundDecision.Forward>(decision).Message);
        Assert.Equal(RelayKind.Data, relay.Kind);
        Assert.Equal("""[1, 2.50 , "\u00e9"]""", Encoding.UTF8.GetString(relay.Payload));
    }

    [Theory]
    [InlineData("""{"type":"\ud800"}""")]
    [InlineData("""{"type":"pair","data":"a\udc00"}""")]
    [InlineData("""{"type":"resume","data":{"token":"\ud800","seq":0}}""")]
    [InlineData("""{"type":"ack","data":{"\ud800":1}}""")]
    public void A_string_with_an_unpaired_surrogate_escape_is_bad_message(string json)
    {
        var refusal = Assert.IsType<InboundDecision.Refuse>(Decode(json));
        Assert.Equal(ServerErrorCodes.BadMessage, refusal.Notice.Code);
    }

    [Fact]
    public void Pair_carries_a_valid_code()
    {
        var pair = Assert.IsType<ClientPair>(Assert.IsType<InboundDecision.Forward>(Decode("""{"type":"pair","data":"abc-1"}""")).Message);
        Assert.Equal("abc-1", pair.Code.Value);
    }

    [Fact]
    public void Properties_other_than_type_and_data_are_ignored()
    {
        var decision = Decode("""{"id":7,"type":"rtc.connect","extra":{"deep":[1,{"x":null}]}}""");
        var relay = Assert.IsType<ClientRelay>(Assert.IsType<InboundDecision.Forward>(decision).Message);
        Assert.Equal(RelayKind.Connect, relay.Kind);
    }

    [Fact]
    public void A_document_nested_too_deep_is_a_bad_message()
    {
        var deep = string.Concat(Enumerable.Repeat("[", 200)) + string.Concat(Enumerable.Repeat("]", 200));
        var refused = Assert.IsType<InboundDecision.Refuse>(Decode("{\"type\":\"data\",\"data\":" + deep + "}"));
        Assert.Equal(ServerErrorCodes.BadMessage, refused.Notice.Code);
    }

    [Fact]
    public void An_unknown_type_is_echoed_truncated()
    {
        var refused = Assert.IsType<InboundDecision.Refuse>(Decode("{\"type\":\"" + new string('z', 500) + "\"}"));
        Assert.Equal(ServerErrorCodes.UnknownType, refused.Notice.Code);
        Assert.True(refused.Notice.Message.Length < 80);
    }

    [Theory]
    [InlineData(RelayKind.Data, """{"a":1}""", """{"type":"data","data":{"a":1}}""")]
    [InlineData(RelayKind.Signal, "\"x\"", """{"type":"rtc.signal","data":"x"}""")]
    [InlineData(RelayKind.Data, "", """{"type":"data"}""")]
    [InlineData(RelayKind.Connect, "", """{"type":"rtc.connect"}""")]
    public void Relayed_messages_are_wrapped_without_reserialising(RelayKind kind, string payload, string wire)
    {
        using var frame = WireEncoder.Encode(new RelayedNotice(kind, Encoding.UTF8.GetBytes(payload)));
        Assert.Equal(wire, Encoding.UTF8.GetString(frame.Memory.Span));
    }

    [Theory]
    [InlineData(ResumeState.Idle, "idle")]
    [InlineData(ResumeState.Waiting, "waiting")]
    [InlineData(ResumeState.Paired, "paired")]
    public void Resumed_names_its_state(ResumeState state, string wire)
    {
        using var frame = WireEncoder.Encode(new ResumedNotice(4, state));
        Assert.Equal($$$"""{"type":"resumed","data":{"seq":4,"state":"{{{wire}}}"}}""", Encoding.UTF8.GetString(frame.Memory.Span));
    }

    [Fact]
    public void A_session_refusal_is_written_as_a_server_error()
    {
        using var frame = WireEncoder.Encode(new RefusedNotice(Refusal.NotPaired, RelayKind.Signal));
        Assert.Equal("""{"type":"server.error","data":{"code":"not-paired","message":"rtc.signal: no partner yet; send pair and wait for peer.found"}}""",
            Encoding.UTF8.GetString(frame.Memory.Span));
    }

    [Fact]
    public void Server_errors_escape_their_text()
    {
        using var frame = WireEncoder.Encode(new ServerErrorNotice("bad-message", "quote \" and <tag>"));
        var json = System.Text.Json.JsonDocument.Parse(frame.Memory).RootElement;
        Assert.Equal("server.error", json.GetProperty("type").GetString());
        Assert.Equal("quote \" and <tag>", json.GetProperty("data").GetProperty("message").GetString());
    }
}
