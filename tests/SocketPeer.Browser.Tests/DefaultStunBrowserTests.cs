using System.Text.Json;
using SocketPeer.Gateway.Options;
using SocketPeer.Testing;
using Xunit.Abstractions;

namespace SocketPeer.Browser.Tests;

/// <summary>A server as a fresh deployment runs it: the default public STUN list on (the test hosts turn it off).</summary>
public sealed class DefaultStunFixture : BrowserFixture
{
    protected override (string, string)[] Settings => [("SocketPeer:Ice:DefaultStun", "true")];
}

/// <summary>
/// The default STUN list reaches the browser client. No STUN server is contacted: the page never
/// makes an RTCPeerConnection (a lone page, WebRTC off), and one it tried to make would throw.
/// </summary>
public sealed class DefaultStunBrowserTests(DefaultStunFixture fixture, ITestOutputHelper output)
    : BrowserTest(fixture, output), IClassFixture<DefaultStunFixture>
{
    private const string NoPeerConnections = """
        window.RTCPeerConnection = class { constructor() { throw new Error('this test must not contact a STUN server'); } };
        """;

    [Fact]
    public async Task The_client_gets_the_default_public_STUN_servers()
    {
        var page = await NewPeerPageAsync("alone", NoPeerConnections);
        await page.StartAsync(new { pairCode = Codes.New(), webrtc = false });
        await page.WaitForEventAsync("session");

        var servers = await page.Page.EvaluateAsync<JsonElement>("() => peer.iceServers");
        var stun = Assert.Single(servers.EnumerateArray());
        Assert.Equal(IceOptions.DefaultStunUrls, stun.GetProperty("urls").EnumerateArray().Select(u => u.GetString()));
        Assert.Null(await page.Page.EvaluateAsync<long?>("() => peer.iceServersExpireAt"));
    }
}
