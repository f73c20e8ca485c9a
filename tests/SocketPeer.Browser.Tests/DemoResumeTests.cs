using Microsoft.Playwright;
using SocketPeer.Testing;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace SocketPeer.Browser.Tests;

/// <summary>The chat demo when one page's socket is dropped: it says so, resumes, and the chat goes on.</summary>
public sealed class DemoResumeTests(ResumeFixture fixture, ITestOutputHelper output)
    : BrowserTest(fixture, output), IClassFixture<ResumeFixture>
{
    private async Task<IPage> OpenDemoAsync(string name, string code)
    {
        var page = await NewPageAsync(name);
        await page.GotoAsync(new Uri(Server.Http, "/#" + Uri.EscapeDataString(code)).AbsoluteUri);
        return page;
    }

    private static ILocator Events(IPage page, string text) =>
        page.Locator("#messages li.event").Filter(new() { HasTextString = text });

    [Fact]
    public async Task A_demo_page_whose_socket_is_dropped_says_it_resumed_and_its_partner_never_sees_it_leave()
    {
        var code = Codes.New();
        var alice = await OpenDemoAsync("alice", code);
        await Expect(alice.Locator("#state")).ToHaveAttributeAsync("data-state", "waiting");
        var bob = await OpenDemoAsync("bob", code);
        await Expect(alice.Locator("#state")).ToHaveAttributeAsync("data-state", "connected");
        await Expect(bob.Locator("#state")).ToHaveAttributeAsync("data-state", "connected");

        // The server drops alice's socket (a flood past the rate limit, as in ServerDropTests).
        await alice.EvaluateAsync("() => { for (let i = 0; i < 1000; i++) peer.socket.send('{\"type\":\"flood.test\"}'); }");

        await Expect(Events(alice, "Connection lost")).ToHaveCountAsync(1);
        await Expect(Events(alice, "Reconnected: the chat carried on")).ToHaveCountAsync(1);
        await Expect(alice.Locator("#state")).ToHaveAttributeAsync("data-state", "connected");
        await bob.Locator("#message").FillAsync("did you go anywhere?");
        await bob.Locator("#send").ClickAsync();
        await Expect(alice.Locator("#messages li.msg.theirs")).ToHaveTextAsync(["did you go anywhere?"]);
        await Expect(Events(bob, "Your partner left")).ToHaveCountAsync(0);
        await Expect(Events(bob, "Your partner is here")).ToHaveCountAsync(1);
        await Expect(Events(alice, "Your partner is here")).ToHaveCountAsync(1);
    }
}
