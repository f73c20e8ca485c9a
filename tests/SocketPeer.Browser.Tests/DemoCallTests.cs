using Microsoft.Playwright;
using SocketPeer.Testing;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace SocketPeer.Browser.Tests;

/// <summary>The demo's video call beside the chat, with Chromium's fake camera and microphone.</summary>
public sealed class DemoCallTests(MediaFixture fixture, ITestOutputHelper output)
    : BrowserTest(fixture, output), IClassFixture<MediaFixture>
{
    /// <summary>Video frames the demo's peer connection decoded (its inbound-rtp statistics).</summary>
    private const string FramesDecoded = """
        async () => {
          if (!window.peer || !window.peer.rtc) return 0;
          let frames = 0;
          (await window.peer.rtc.getStats()).forEach((r) => {
            if (r.type === 'inbound-rtp' && r.kind === 'video') frames += r.framesDecoded || 0;
          });
          return frames;
        }
        """;

    private async Task<IPage> OpenDemoAsync(string name, string code)
    {
        var page = await NewPageAsync(name);
        await page.GotoAsync(new Uri(Server.Http, "/#" + Uri.EscapeDataString(code)).AbsoluteUri);
        return page;
    }

    private static Task ReceivingVideoAsync(IPage page) => page.WaitForFunctionAsync(
        $"async () => (await ({FramesDecoded})()) > 0", null, new() { PollingInterval = 100, Timeout = TimeoutMs });

    [Fact]
    public async Task Both_pages_start_video_see_each_other_beside_the_chat_and_one_stops()
    {
        var code = Codes.New();
        var alice = await OpenDemoAsync("alice", code);
        await Expect(alice.Locator("#state")).ToHaveAttributeAsync("data-state", "waiting");
        var bob = await OpenDemoAsync("bob", code);
        foreach (var page in new[] { alice, bob })
        {
            await Expect(page.Locator("#state")).ToHaveAttributeAsync("data-state", "connected");
            await Expect(page.Locator("#path")).ToHaveAttributeAsync("data-path", "webrtc");
            await Expect(page.Locator("#videos")).ToBeHiddenAsync();
        }

        // Alice shares her camera during the chat: Bob sees her (frames decoded), Alice sees herself.
        await alice.Locator("#call").ClickAsync();
        await Expect(alice.Locator("#call")).ToHaveTextAsync("Stop video");
        await Expect(alice.Locator("#local-video")).ToBeVisibleAsync();
        await Expect(bob.Locator("#remote-video")).ToBeVisibleAsync();
        await ReceivingVideoAsync(bob);

        // Bob answers with his: each now sees the other.
        await bob.Locator("#call").ClickAsync();
        await Expect(alice.Locator("#remote-video")).ToBeVisibleAsync();
        await ReceivingVideoAsync(alice);
        foreach (var page in new[] { alice, bob })
        {
            await Expect(page.Locator("#local-video")).ToBeVisibleAsync();
            await Expect(page.Locator("#path")).ToHaveAttributeAsync("data-path", "webrtc");
        }
        await alice.Locator("#message").FillAsync("I can see you");
        await alice.Locator("#send").ClickAsync();
        await Expect(bob.Locator("#messages li.msg.theirs[data-via=webrtc]").Last).ToHaveTextAsync("I can see you");

        var artifacts = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "artifacts")).FullName;
        await alice.ScreenshotAsync(new() { Path = Path.Combine(artifacts, "demo-call-alice.png"), Animations = ScreenshotAnimations.Disabled });

        // Alice stops: Bob's view of her goes away, his own stays; the chat carries on peer-to-peer.
        await alice.Locator("#call").ClickAsync();
        await Expect(alice.Locator("#call")).ToHaveTextAsync("Start video");
        await Expect(alice.Locator("#local-video")).ToBeHiddenAsync();
        await Expect(bob.Locator("#remote-video")).ToBeHiddenAsync();
        await Expect(bob.Locator("#local-video")).ToBeVisibleAsync();
        await Expect(alice.Locator("#remote-video")).ToBeVisibleAsync();
        await bob.Locator("#message").FillAsync("you are gone, but I still read you");
        await bob.Locator("#send").ClickAsync();
        await Expect(alice.Locator("#messages li.msg.theirs[data-via=webrtc]").Last).ToHaveTextAsync("you are gone, but I still read you");
    }
}
