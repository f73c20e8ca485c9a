using Microsoft.Playwright;
using SocketPeer.Testing;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace SocketPeer.Browser.Tests;

/// <summary>The chat demo at <c>/</c>, driven through its own controls.</summary>
public sealed class DemoTests(BrowserFixture fixture, ITestOutputHelper output)
    : BrowserTest(fixture, output), IClassFixture<BrowserFixture>
{
    /// <summary>Set to 1 to rewrite the committed docs/demo.png (it is only written when missing otherwise).</summary>
    public const string UpdateDocsScreenshot = "SOCKETPEER_UPDATE_DEMO_SCREENSHOT";

    /// <summary>Opens the demo's share link for <paramref name="code"/>: <c>/#code</c> joins that code.</summary>
    private async Task<IPage> OpenDemoAsync(string name, string code)
    {
        var page = await NewPageAsync(name);
        await page.GotoAsync(new Uri(Server.Http, "/#" + Uri.EscapeDataString(code)).AbsoluteUri);
        return page;
    }

    private async Task<(IPage A, IPage B)> OpenChattingPairAsync(string code)
    {
        var a = await OpenDemoAsync("alice", code);
        await Expect(a.Locator("#state")).ToHaveAttributeAsync("data-state", "waiting");
        var b = await OpenDemoAsync("bob", code);
        await Expect(a.Locator("#state")).ToHaveAttributeAsync("data-state", "connected");
        await Expect(b.Locator("#state")).ToHaveAttributeAsync("data-state", "connected");
        return (a, b);
    }

    private static async Task SayAsync(IPage page, string text)
    {
        await page.Locator("#message").FillAsync(text);
        await page.Locator("#send").ClickAsync();
    }

    private static ILocator Theirs(IPage page, string text) =>
        page.Locator("#messages li.msg.theirs").Filter(new() { HasTextString = text });

    [Fact]
    public async Task Two_demo_pages_chat_over_WebRTC_and_screenshots_are_kept()
    {
        var (alice, bob) = await OpenChattingPairAsync("demo-" + Guid.NewGuid().ToString("N")[..6]);
        await Expect(alice.Locator("#path")).ToHaveAttributeAsync("data-path", "webrtc");
        await Expect(bob.Locator("#path")).ToHaveAttributeAsync("data-path", "webrtc");

        await SayAsync(alice, "Hi Bob! Can you read me?");
        await Expect(bob.Locator("#messages li.msg.theirs").Last).ToHaveTextAsync("Hi Bob! Can you read me?");
        await SayAsync(bob, "Loud and clear, peer-to-peer over WebRTC.");
        await Expect(alice.Locator("#messages li.msg.theirs").Last).ToHaveTextAsync("Loud and clear, peer-to-peer over WebRTC.");
        await SayAsync(alice, "And the server never saw a word of it.");
        await Expect(bob.Locator("#messages li.msg.theirs").Last).ToHaveTextAsync("And the server never saw a word of it.");

        await Expect(alice.Locator("#messages li.msg.mine")).ToHaveTextAsync(
            ["Hi Bob! Can you read me?", "And the server never saw a word of it."]);
        await Expect(bob.Locator("#messages li.msg.mine")).ToHaveTextAsync(["Loud and clear, peer-to-peer over WebRTC."]);
        await Expect(bob.Locator("#messages li.msg.theirs[data-via=webrtc]")).ToHaveCountAsync(2);
        await Expect(alice.Locator("#messages li.msg.theirs[data-via=webrtc]")).ToHaveCountAsync(1);

        foreach (var page in new[] { alice, bob })
            await page.EvaluateAsync("() => document.activeElement && document.activeElement.blur()");
        var artifacts = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "artifacts")).FullName;
        var alicePng = Path.Combine(artifacts, "demo-alice.png");
        var bobPng = Path.Combine(artifacts, "demo-bob.png");
        await alice.ScreenshotAsync(new() { Path = alicePng, Animations = ScreenshotAnimations.Disabled });
        await bob.ScreenshotAsync(new() { Path = bobPng, Animations = ScreenshotAnimations.Disabled });
        Log($"screenshots: {alicePng}, {bobPng}");

        var docs = Path.Combine(Repository.Root, "docs", "demo.png");
        if (!File.Exists(docs) || Environment.GetEnvironmentVariable(UpdateDocsScreenshot) == "1")
        {
            File.Copy(alicePng, docs, overwrite: true);
            Log($"wrote {docs}");
        }
    }

    [Fact]
    public async Task The_demo_shows_markup_in_a_message_as_text_and_never_runs_it()
    {
        const string payload = """<img src=x onerror="window.__pwned=1">""";
        var (alice, bob) = await OpenChattingPairAsync(Codes.New());

        await SayAsync(alice, payload);

        await Expect(Theirs(bob, "onerror")).ToHaveTextAsync(payload);
        await Expect(alice.Locator("#messages li.msg.mine").Last).ToHaveTextAsync(payload);
        await AssertMarkupNeverRanAsync(alice);
        await AssertMarkupNeverRanAsync(bob);
    }

    [Fact]
    public async Task The_demo_shows_markup_in_a_shared_links_pair_code_as_text_and_never_runs_it()
    {
        const string payload = """<img src=x onerror="window.__pwned=1">""";
        var page = await OpenDemoAsync("visitor", payload);

        // The server refuses such a code; the demo says so, quoting nothing as HTML.
        await Expect(page.Locator("#notice")).ToBeVisibleAsync();
        await Expect(page.Locator("#notice")).ToContainTextAsync("refused");
        await Expect(page.Locator("#pair-code")).ToHaveValueAsync(payload);
        await Expect(page.Locator("#share-link")).ToHaveTextAsync(new Uri(Server.Http, "/#" + Uri.EscapeDataString(payload)).AbsoluteUri);
        await AssertMarkupNeverRanAsync(page);
    }

    /// <summary>No element came out of the payload and its handler never ran.</summary>
    private static async Task AssertMarkupNeverRanAsync(IPage page)
    {
        await Expect(page.Locator("body img")).ToHaveCountAsync(0);
        // Had an <img src=x> been created, its load of /x would have failed by the time ours has.
        await page.EvaluateAsync("""
            () => new Promise((resolve) => {
              const probe = new Image();
              probe.onload = probe.onerror = resolve;
              probe.src = 'x?probe=' + Date.now();
            })
            """);
        Assert.True(await page.EvaluateAsync<bool>("() => window.__pwned === undefined"), "the payload's markup ran");
    }

    /// <summary>This fixture's Chromium has no camera and grants no media: the call says so, the chat carries on.</summary>
    [Fact]
    public async Task Without_a_camera_the_video_call_says_so_and_the_chat_carries_on()
    {
        var (alice, bob) = await OpenChattingPairAsync(Codes.New());

        await alice.Locator("#call").ClickAsync();

        await Expect(alice.Locator("#call-status")).ToContainTextAsync("No camera or microphone");
        await Expect(alice.Locator("#call")).ToHaveTextAsync("Start video");
        await Expect(alice.Locator("#call")).ToBeEnabledAsync();
        await Expect(alice.Locator("#videos")).ToBeHiddenAsync();
        await Expect(alice.Locator("#path")).ToHaveAttributeAsync("data-path", "webrtc");
        await SayAsync(alice, "no camera here, still chatting");
        await Expect(Theirs(bob, "still chatting")).ToHaveTextAsync("no camera here, still chatting");
        await Expect(bob.Locator("#videos")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task A_third_page_on_a_taken_code_is_told_busy_and_the_pair_keeps_chatting()
    {
        var code = Codes.New();
        var (alice, bob) = await OpenChattingPairAsync(code);

        var carol = await OpenDemoAsync("carol", code);

        await Expect(carol.Locator("#state")).ToHaveAttributeAsync("data-state", "busy");
        await Expect(carol.Locator("#notice")).ToBeVisibleAsync();
        await Expect(carol.Locator("#notice")).ToContainTextAsync("already used");
        Assert.Equal("busy", await carol.EvaluateAsync<string>("() => peer.state"));
        await Expect(carol.Locator("#send")).ToBeDisabledAsync();
        await SayAsync(bob, "still here after carol was turned away");
        await Expect(Theirs(alice, "carol was turned away")).ToHaveTextAsync("still here after carol was turned away");
        await Expect(alice.Locator("#state")).ToHaveAttributeAsync("data-state", "connected");
    }
}
