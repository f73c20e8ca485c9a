using System.Net;
using System.Net.WebSockets;
using System.Text;
using SocketPeer.Testing;

namespace SocketPeer.Gateway.Tests;

/// <summary>
/// Every hostile or malformed message gets a documented answer, and never costs anyone else:
/// after each, a pair that did nothing wrong still relays (and so does the offender, unless closed).
/// </summary>
public sealed class BadInputTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private SocketPeerServer Server => fixture.Server;

    [Theory]
    [InlineData("not json at all", "bad-message")]
    [InlineData("{\"type\":\"data\"", "bad-message")]
    [InlineData("{\"type\":\"data\"} trailing", "bad-message")]
    [InlineData("[\"pair\",\"abc\"]", "bad-message")]
    [InlineData("\"pair\"", "bad-message")]
    [InlineData("null", "bad-message")]
    [InlineData("", "bad-message")]
    [InlineData("{\"data\":\"no type\"}", "bad-message")]
    [InlineData("{\"type\":42}", "bad-message")]
    [InlineData("{\"type\":null}", "bad-message")]
    [InlineData("{\"type\":{\"nested\":true}}", "bad-message")]
    [InlineData("{\"type\":\"error\"}", "unknown-type")]
    [InlineData("{\"type\":\"rtc.close\"}", "unknown-type")]
    [InlineData("{\"type\":\"rtc.status\",\"data\":{\"state\":\"sideways\"}}", "bad-message")]
    [InlineData("{\"type\":\"rtc.status\"}", "bad-message")]
    public async Task A_malformed_message_is_refused_and_the_connection_lives_on(string frame, string code)
    {
        await using var offender = await Server.ConnectAsync();

        await offender.SendTextAsync(frame);

        await offender.ExpectErrorAsync(code);
        await AssertStillServesAsync(offender);
    }

    [Theory]
    [InlineData("{\"type\":\"pair\"}")]
    [InlineData("{\"type\":\"pair\",\"data\":null}")]
    [InlineData("{\"type\":\"pair\",\"data\":\"\"}")]
    [InlineData("{\"type\":\"pair\",\"data\":42}")]
    [InlineData("{\"type\":\"pair\",\"data\":{\"code\":\"abc\"}}")]
    [InlineData("{\"type\":\"pair\",\"data\":\"has spaces\"}")]
    [InlineData("{\"type\":\"pair\",\"data\":\"<script>\"}")]
    [InlineData("{\"type\":\"pair\",\"data\":\"ünïcode\"}")]
    public async Task An_invalid_pair_code_is_refused(string frame)
    {
        await using var offender = await Server.ConnectAsync();

        await offender.SendTextAsync(frame);

        await offender.ExpectErrorAsync("invalid-pair-code");
        await AssertStillServesAsync(offender);
    }

    [Fact]
    public async Task A_pair_code_over_the_maximum_length_is_refused()
    {
        await using var offender = await Server.ConnectAsync();
        await offender.PairAsync(new string('a', 65));
        await offender.ExpectErrorAsync("invalid-pair-code");
        await AssertStillServesAsync(offender);
    }

    [Theory]
    [InlineData("data")]
    [InlineData("rtc.signal")]
    [InlineData("rtc.connect")]
    public async Task Relay_before_pairing_is_refused_with_not_paired(string type)
    {
        await using var lone = await Server.ConnectAsync();
        await lone.PairAsync(Codes.New()); // waiting, not paired

        await lone.SendAsync(type, new { sdp = "v=0" });

        await lone.ExpectErrorAsync("not-paired");
        await AssertStillServesAsync(lone);
    }

    [Fact]
    public async Task A_binary_frame_is_refused_and_the_connection_lives_on()
    {
        await using var offender = await Server.ConnectAsync();

        await offender.SendBytesAsync([0x01, 0x02, 0xff], WebSocketMessageType.Binary);

        await offender.ExpectErrorAsync("binary-not-supported");
        await AssertStillServesAsync(offender);
    }

    [Fact]
    public async Task Invalid_utf8_closes_the_socket_with_1007()
    {
        await using var offender = await Server.ConnectAsync();

        await offender.SendBytesAsync([(byte)'{', 0xc3, 0x28, (byte)'}'], WebSocketMessageType.Text);

        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, await offender.ClosedAsync());
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task A_message_over_the_frame_limit_closes_the_socket_with_1009()
    {
        var (a, b) = await Pairs.OpenAsync(Server);
        await using var _ = a;
        await using var __ = b;

        await a.SendTextAsync("{\"type\":\"data\",\"data\":\"" + new string('x', 70 * 1024) + "\"}");

        Assert.Equal(WebSocketCloseStatus.MessageTooBig, await a.ClosedAsync());
        await b.ExpectAsync("peer.left"); // its partner is told, and nothing of the oversized message arrives
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task A_message_exactly_at_the_frame_limit_is_accepted()
    {
        var (a, b) = await Pairs.OpenAsync(Server);
        await using var _ = a;
        await using var __ = b;
        const string envelope = "{\"type\":\"data\",\"data\":\"\"}";
        var text = new string('x', 64 * 1024 - envelope.Length);

        await a.SendTextAsync("{\"type\":\"data\",\"data\":\"" + text + "\"}");

        Assert.Equal(text, (await b.ExpectAsync("data")).GetProperty("data").GetString());
    }

    [Fact]
    public async Task A_plain_get_on_the_socket_path_gets_426()
    {
        using var http = Server.CreateHttpClient();
        foreach (var path in new[] { "/socketpeer", "/socketpeer/" })
        {
            using var response = await http.GetAsync(path);
            Assert.Equal(HttpStatusCode.UpgradeRequired, response.StatusCode);
            Assert.Contains("WebSocket", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task A_malformed_upgrade_gets_400()
    {
        using var http = Server.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/socketpeer/");
        request.Headers.Connection.Add("Upgrade");
        request.Headers.Upgrade.Add(new("websocket"));
        // no Sec-WebSocket-Key / Version: not a valid handshake

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Other_methods_on_the_socket_path_get_405()
    {
        using var http = Server.CreateHttpClient();
        using var response = await http.PostAsync("/socketpeer/", new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task The_socket_upgrades_with_and_without_the_trailing_slash()
    {
        foreach (var path in new[] { "/socketpeer", "/socketpeer/" })
        {
            var uri = new UriBuilder(Server.Socket) { Path = path }.Uri;
            await using var client = await TestClient.ConnectAsync(uri);
            Assert.NotEmpty(client.SessionId);
        }
    }

    /// <summary>A fresh pair relays both ways, and the given connection (if still open) is still answered.</summary>
    private async Task AssertStillServesAsync(TestClient? survivor = null)
    {
        if (survivor is not null) await survivor.ExpectNothingPendingAsync();
        var (a, b) = await Pairs.OpenAsync(Server);
        await using var _ = a;
        await using var __ = b;
        await Pairs.AssertRelaysAsync(a, b);
    }
}
