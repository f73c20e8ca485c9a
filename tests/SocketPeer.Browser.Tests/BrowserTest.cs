using Microsoft.Playwright;
using SocketPeer.Testing;
using Xunit.Abstractions;

namespace SocketPeer.Browser.Tests;

/// <summary>
/// Base of every browser test: a fresh browser context per page (so each page is its own
/// "browser"), closed after the test, with the page's console written to the test output.
/// </summary>
public abstract class BrowserTest(BrowserFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>Generous: CI is a loaded 2-core machine.</summary>
    public const float TimeoutMs = 30_000;

    private readonly List<IBrowserContext> _contexts = [];

    static BrowserTest() => Assertions.SetDefaultExpectTimeout(TimeoutMs);

    protected SocketPeerServer Server => fixture.Server;

    /// <summary>A page in a new context. <paramref name="initScript"/> runs before any page script.</summary>
    protected async Task<IPage> NewPageAsync(string name, string? initScript = null)
    {
        var context = await fixture.Browser.NewContextAsync(new()
        {
            ViewportSize = new() { Width = 760, Height = 640 },
            DeviceScaleFactor = 1,
            ColorScheme = ColorScheme.Light,
        });
        context.SetDefaultTimeout(TimeoutMs);
        lock (_contexts) _contexts.Add(context);
        if (initScript is not null) await context.AddInitScriptAsync(initScript);
        var page = await context.NewPageAsync();
        page.Console += (_, message) => Log($"[{name}] console.{message.Type}: {message.Text}");
        page.PageError += (_, error) => Log($"[{name}] page error: {error}");
        return page;
    }

    /// <summary>A page on the server's origin running the client library (<see cref="PeerPage"/>).</summary>
    protected async Task<PeerPage> NewPeerPageAsync(string name, string? initScript = null) =>
        await PeerPage.OpenAsync(await NewPageAsync(name, initScript), Server.Http);

    protected void Log(string line)
    {
        try
        {
            output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // The test is over; late console output has nowhere to go.
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        IBrowserContext[] contexts;
        lock (_contexts) contexts = [.. _contexts];
        foreach (var context in contexts)
            await context.CloseAsync();
    }
}
