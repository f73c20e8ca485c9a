using System.Text.Json;
using SocketPeer.Testing;

namespace SocketPeer.Browser.Tests;

/// <summary>
/// Wire compatibility with the ORIGINAL 2015 SocketPeer client (cvan/socketpeer, browser/index.js
/// with simple-peer 4), checked on every run without a browser: raw WebSockets replay, frame for
/// frame, what that client sends, and check what comes back is what it understands.
/// <para>What the original does with the server's messages: it parses every frame, emits
/// <c>data</c> for <c>data</c> and <c>emit(type, data)</c> for anything else, so an <c>error</c>
/// type would throw (nobody listens), an unknown type is a harmless event, and <c>peer.found</c>
/// must carry <c>{initiator}</c>. It connects to <c>/socketpeer/</c>, sends <c>pair</c> on open,
/// the initiator sends <c>rtc.connect</c> (no data: JSON.stringify drops it) and offers; signals are
/// simple-peer's RTCSessionDescription / <c>{candidate: RTCIceCandidate}</c> serialised to JSON;
/// <c>send()</c> before the upgrade is <c>{"type":"data","data":…}</c>; after a close it opens a
/// fresh socket and pairs with the same code.</para>
/// </summary>
public sealed class OriginalClientWireTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    /// <summary>Types the original client gets from us: its own, plus two harmless extensions.</summary>
    private static readonly string[] KnownTypes =
        ["peer.found", "busy", "data", "rtc.signal", "rtc.connect", "session", "peer.left"];

    private const string Offer = """{"type":"offer","sdp":"v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\na=ice-ufrag:8hhY\r\na=ice-pwd:asd88fgpdd777uzjYhagZg\r\na=fingerprint:sha-256 D2:FA:0E:C3:22:59:5E:14:95:69:92:3D:13:B4:84:24:2C:C2:A2:C0:3E:FD:34:8E:5E:EA:6F:AF:52:CE:E6:0F\r\na=setup:actpass\r\na=mid:0\r\na=sctp-port:5000\r\na=max-message-size:262144\r\n"}""";
    private const string Answer = """{"type":"answer","sdp":"v=0\r\no=- 1208426546742281049 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\na=ice-ufrag:W2TG\r\na=ice-pwd:xdQEccP40E+P0L5qTyzDgfmW\r\na=fingerprint:sha-256 3D:0C:4A:BF:25:6F:2C:1B:03:77:DA:9C:C4:27:EC:97:F1:5E:3E:E2:50:A0:AF:52:D8:8F:B6:4E:2C:0C:BA:43\r\na=setup:active\r\na=mid:0\r\na=sctp-port:5000\r\na=max-message-size:262144\r\n"}""";
    private const string OfferCandidate = """{"candidate":{"candidate":"candidate:1467250027 1 udp 2122260223 127.0.0.1 46243 typ host generation 0","sdpMid":"0","sdpMLineIndex":0,"usernameFragment":"8hhY"}}""";
    private const string AnswerCandidate = """{"candidate":{"candidate":"candidate:2999745851 1 udp 2122260223 127.0.0.1 56143 typ host generation 0","sdpMid":"0","sdpMLineIndex":0,"usernameFragment":"W2TG"}}""";

    private readonly List<JsonElement> _everything = [];

    private SocketPeerServer Server => fixture.Server;

    /// <summary>
    /// The original's <c>new WebSocket(url)</c> on <c>/socketpeer/</c>. What we send first, our
    /// <c>session</c> greeting, must be harmless to it: <see cref="TestClient.ConnectAsync"/> reads
    /// it and checks it is exactly that (type <c>session</c>, data an object with an id), which the
    /// original re-emits as an event nobody listens to.
    /// </summary>
    private async Task<TestClient> OpenSocketAsync()
    {
        Assert.EndsWith("/socketpeer/", Server.Socket.AbsolutePath);
        var client = await Server.ConnectAsync();
        Assert.False(string.IsNullOrEmpty(client.SessionId));
        return client;
    }

    private static Task SendAsync(TestClient client, string type, string? dataJson = null) =>
        client.SendTextAsync(dataJson is null ? $$"""{"type":"{{type}}"}""" : $$"""{"type":"{{type}}","data":{{dataJson}}}""");

    /// <summary>The next message; it must be <paramref name="type"/> and well formed for the original.</summary>
    private async Task<JsonElement> ReceiveAsync(TestClient client, string type)
    {
        var message = await client.NextAsync();
        _everything.Add(message);
        Assert.Equal(JsonValueKind.Object, message.ValueKind);
        Assert.Equal(type, message.GetProperty("type").GetString());
        return message;
    }

    private async Task ReceiveAsync(TestClient client, string type, string dataJson)
    {
        var message = await ReceiveAsync(client, type);
        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(dataJson).RootElement, message.GetProperty("data")),
            $"{type}: expected {dataJson}, got {message.GetProperty("data").GetRawText()}");
    }

    private static async Task ExpectPeerFoundAsync(Task<JsonElement> received, bool initiator)
    {
        var data = (await received).GetProperty("data");
        Assert.Equal(JsonValueKind.Object, data.ValueKind);
        Assert.Equal(initiator, data.GetProperty("initiator").GetBoolean());
    }

    [Fact]
    public async Task The_original_clients_whole_session_is_answered_frame_for_frame()
    {
        var code = "yolo-" + Guid.NewGuid().ToString("N")[..8]; // the original demo's code, made unique
        await using var a = await OpenSocketAsync();
        await SendAsync(a, "pair", JsonSerializer.Serialize(code)); // onopen → pair()

        await using var b = await OpenSocketAsync();
        await SendAsync(b, "pair", JsonSerializer.Serialize(code));

        // The waiting one hears nothing before peer.found: that is its only "connected".
        await ExpectPeerFoundAsync(ReceiveAsync(a, "peer.found"), initiator: false);
        await ExpectPeerFoundAsync(ReceiveAsync(b, "peer.found"), initiator: true);

        // b, the initiator: _send('rtc.connect'), then simple-peer's offer; the demo says hello at once.
        await SendAsync(b, "rtc.connect");
        await SendAsync(b, "rtc.signal", Offer);
        await SendAsync(b, "data", "\"hello\"");
        // a: the demo's hello on peer.found; on rtc.connect simple-peer answers and trickles.
        await SendAsync(a, "data", "\"hello\"");
        await ReceiveAsync(a, "rtc.connect");
        await ReceiveAsync(a, "rtc.signal", Offer);
        await ReceiveAsync(a, "data", "\"hello\"");
        await SendAsync(a, "rtc.signal", Answer);
        await SendAsync(a, "rtc.signal", AnswerCandidate);
        await SendAsync(b, "rtc.signal", OfferCandidate);
        await ReceiveAsync(b, "data", "\"hello\"");
        await ReceiveAsync(b, "rtc.signal", Answer);
        await ReceiveAsync(b, "rtc.signal", AnswerCandidate);
        await ReceiveAsync(a, "rtc.signal", OfferCandidate);

        // send() of any JSON value while not upgraded goes through the server.
        await SendAsync(a, "data", """{"x":1,"nested":{"list":[1,"two",null,true]}}""");
        await SendAsync(b, "data", "42");
        await ReceiveAsync(b, "data", """{"x":1,"nested":{"list":[1,"two",null,true]}}""");
        await ReceiveAsync(a, "data", "42");

        // A third original client on the same code: {"type":"busy"}; it then closes its socket.
        await using (var c = await OpenSocketAsync())
        {
            await SendAsync(c, "pair", JsonSerializer.Serialize(code));
            await ReceiveAsync(c, "busy");
        }
        await SendAsync(b, "data", "\"still paired\"");
        await ReceiveAsync(a, "data", "\"still paired\"");

        // a's socket dies; the original reconnects on a fresh socket with the same code.
        a.Abort();
        await ReceiveAsync(b, "peer.left"); // an extension: to the original, an event nobody listens to
        await using var a2 = await OpenSocketAsync();
        await SendAsync(a2, "pair", JsonSerializer.Serialize(code));
        await ExpectPeerFoundAsync(ReceiveAsync(b, "peer.found"), initiator: false);
        await ExpectPeerFoundAsync(ReceiveAsync(a2, "peer.found"), initiator: true);
        await SendAsync(a2, "rtc.connect");
        await ReceiveAsync(b, "rtc.connect");
        await SendAsync(a2, "data", "\"back again\"");
        await ReceiveAsync(b, "data", "\"back again\"");

        Assert.All(_everything, m => Assert.Contains(m.GetProperty("type").GetString(), KnownTypes));
        Assert.DoesNotContain(_everything, m => m.GetProperty("type").GetString() == "error");
    }

    [Fact]
    public async Task The_original_clients_frames_never_get_an_error_typed_answer()
    {
        // Everything the original can send, including before pairing and after its partner left.
        await using var lone = await OpenSocketAsync();
        await SendAsync(lone, "data", "\"too early\"");
        await SendAsync(lone, "rtc.signal", OfferCandidate);
        await SendAsync(lone, "rtc.connect");
        await SendAsync(lone, "pair", JsonSerializer.Serialize(Codes.New()));
        await SendAsync(lone, "pair", JsonSerializer.Serialize(Codes.New())); // pair(newCode) while waiting

        // Each refusal is an extension type (server.error), never "error", and the socket lives on.
        for (var i = 0; i < 3; i++)
        {
            var message = await lone.NextAsync();
            Assert.Equal("server.error", message.GetProperty("type").GetString());
        }
        await lone.ExpectNothingPendingAsync();
    }
}
