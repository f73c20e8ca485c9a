using System.Security.Cryptography;
using SocketPeer.Testing;
using Xunit.Abstractions;

namespace SocketPeer.Browser.Tests;

/// <summary>
/// A rolling update in miniature: cluster nodes sharing a resume secret, a page reaching one
/// of them through a forwarder that plays the Kubernetes Service. The page's node stops
/// gracefully (1012); the page comes back through the Service, lands on the other node, and
/// resumes there. The browser fixture's own server is not used.
/// </summary>
public sealed class NodeRestartResumeTests(BrowserFixture fixture, ITestOutputHelper output)
    : BrowserTest(fixture, output), IClassFixture<BrowserFixture>
{
    private const int ServiceRestart = 1012;

    [Fact]
    public async Task A_page_whose_node_stops_resumes_on_another_node_and_misses_nothing()
    {
        const int PartnerStream = 20;
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        // Three nodes, as deploy/k8s runs: with two, a leaving node that turns unreachable under
        // load leaves no majority, and keep-majority may down the node that stays.
        await using var cluster = await TestCluster.StartAsync(3, ("SocketPeer:Resume:Secret", secret));
        var (staying, stopping) = (cluster[0], cluster[1]);
        await using var service = new CuttableProxy(stopping.Http);
        var code = Codes.New();
        var moving = await PeerPage.OpenAsync(await NewPageAsync("moving"), staying.Http);
        var partner = await PeerPage.OpenAsync(await NewPageAsync("partner"), staying.Http);
        await moving.StartAsync(new { pairCode = code, webrtc = false, reconnectDelay = 200, url = service.SocketUrl });
        await moving.WaitForStateAsync("waiting");
        await partner.StartAsync(new { pairCode = code, webrtc = false, url = staying.Socket.ToString() });
        await moving.WaitForEventAsync("connect");
        await partner.WaitForEventAsync("connect");
        Assert.True(await moving.Page.EvaluateAsync<bool>("() => peer.resumable"));
        await partner.SendAsync("p-before");
        await moving.ReceiveAsync("p-before");
        var sessionId = await moving.Page.EvaluateAsync<string>("() => peer.sessionId");

        service.Target = staying.Http; // the Service stops sending new connections to the stopping pod
        var stopped = stopping.StopAsync();
        await moving.WaitForEventAsync("close");
        Assert.Equal(ServiceRestart, (await moving.LastArgAsync("close"))!.Value.GetProperty("code").GetInt32());
        Assert.All(await partner.Page.EvaluateAsync<string[]>(
                "n => Array.from({ length: n }, (_, i) => peer.send('p' + (i + 1)))", PartnerStream),
            path => Assert.Contains(path, new[] { "websocket", "queued" }));

        await moving.WaitForEventAsync("resume");
        Log($"resume: {(await moving.LastArgAsync("resume"))!.Value}");
        await moving.ReceiveAsync("p" + PartnerStream);
        await moving.SendAsync("m-after");
        await partner.ReceiveAsync("m-after");
        await stopped;

        string[] expected = ["p-before", .. Enumerable.Range(1, PartnerStream).Select(i => "p" + i)];
        Assert.Equal(expected, await moving.Page.EvaluateAsync<string[]>("() => received.map(r => r.value)"));
        Assert.Equal(sessionId, await moving.Page.EvaluateAsync<string>("() => peer.sessionId"));
        foreach (var page in new[] { moving, partner })
        {
            Assert.Equal(1, await page.CountAsync("connect"));
            Assert.Equal(0, await page.CountAsync("peer.left"));
        }
        foreach (var page in new[] { moving, partner })
            await page.Page.EvaluateAsync("() => peer.destroy()"); // before the cluster goes: no reconnect attempts
    }
}
