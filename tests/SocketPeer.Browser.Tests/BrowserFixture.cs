using Microsoft.Playwright;
using SocketPeer.Testing;

namespace SocketPeer.Browser.Tests;

/// <summary>
/// One real SocketPeer host on 127.0.0.1:0 and one headless Debian Chromium, shared by the tests of
/// a class; each test opens its own browser contexts (<see cref="BrowserTest"/>).
/// </summary>
public class BrowserFixture : IAsyncLifetime
{
    /// <summary>Debian's Chromium: the tests never download a browser.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    private SocketPeerServer? _server;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public SocketPeerServer Server => _server ?? throw new InvalidOperationException("not started");

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("not started");

    /// <summary>Chromium switches the class using this fixture needs beyond the common ones.</summary>
    protected virtual string[] BrowserArgs => [];

    /// <summary>Server configuration overrides for the class using this fixture.</summary>
    protected virtual (string, string)[] Settings => [];

    public virtual async Task InitializeAsync()
    {
        // The node driver ships inside the NuGet package; nothing may fetch a browser.
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: install Debian's chromium (./test.sh does)");

        var server = SocketPeerServer.StartAsync(Settings);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                .. BrowserArgs,
            ],
        });
        _server = await server;
    }

    public virtual async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.CloseAsync();
        _playwright?.Dispose();
        if (_server is not null) await _server.DisposeAsync();
    }
}
