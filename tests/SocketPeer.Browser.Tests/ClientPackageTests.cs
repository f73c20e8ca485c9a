using System.Diagnostics;
using SocketPeer.Testing;
using Xunit.Abstractions;

namespace SocketPeer.Browser.Tests;

/// <summary>
/// The browser client as an npm package, as a user gets it: packed (<c>npm pack</c>), installed
/// from the tarball into a project of its own, imported as ES module and as CommonJS, type-checked
/// against its declarations, and run from the packed files in a browser page that pairs. TypeScript
/// comes from src/Client's own lockfile (./test.sh runs <c>npm ci</c> there); nothing here uses the network.
/// </summary>
public sealed class ClientPackageTests(ClientPackageFixture package, BrowserFixture fixture, ITestOutputHelper output)
    : BrowserTest(fixture, output), IClassFixture<ClientPackageFixture>, IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task The_package_imports_as_an_ES_module_and_as_CommonJS()
    {
        var esm = await package.RunAsync("node", "--input-type=module", "-e",
            "import SocketPeer, { SocketPeer as Named, randomPairCode } from '@socketpeer/client';" +
            "console.log(typeof SocketPeer, SocketPeer === Named, typeof randomPairCode(), SocketPeer.version)");
        var cjs = await package.RunAsync("node", "-e",
            "const SocketPeer = require('@socketpeer/client'); console.log(typeof SocketPeer, SocketPeer.version)");

        Assert.Equal($"function true string {package.Version}", esm.Trim());
        Assert.Equal($"function {package.Version}", cjs.Trim());
    }

    [Fact]
    public async Task A_TypeScript_file_type_checks_against_its_declarations_and_a_wrong_one_does_not()
    {
        await File.WriteAllTextAsync(Path.Combine(package.Consumer, "good.mts"), """
            import SocketPeer, { type SocketPeerOptions, type ServerError } from '@socketpeer/client';
            const options: SocketPeerOptions = {
              pairCode: 'blue-fox-42',
              url: 'wss://example.com/socketpeer/',
              joinToken: async (code: string) => `token-for-${code}`,
            };
            const peer = new SocketPeer(options);
            peer.on('data', (data, via) => console.log(data, via));
            peer.on('server.error', (err: ServerError) => console.log(err.code));
            const sent: string = peer.send({ hello: 'world' });
            console.log(sent);
            // Media during a call: the methods chain, the events carry typed payloads.
            const call = async () => {
              const camera = await navigator.mediaDevices.getUserMedia({ video: true });
              peer.addStream(camera).removeTrack(camera.getVideoTracks()[0]).addTrack(camera.getVideoTracks()[0], camera).removeStream(camera);
            };
            peer.on('track', (track: MediaStreamTrack, stream: MediaStream) => console.log(track.kind, stream.id));
            peer.on('track.removed', (track, stream) => console.log(track.kind, stream.id));
            peer.on('ice.restart', (info) => console.log(info.reason === 'failed' || info.reason === 'disconnected'));
            peer.on('ice.restarted', () => console.log('back on WebRTC'));
            peer.on('media.unavailable', (info) => console.log(info.reason));
            void call;
            """);
        await File.WriteAllTextAsync(Path.Combine(package.Consumer, "bad.mts"), """
            import SocketPeer from '@socketpeer/client';
            new SocketPeer({ pairCode: 'x', joinToken: 42 });
            """);

        await package.TypeCheckAsync("good.mts");
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => package.TypeCheckAsync("bad.mts"));
        Assert.Contains("bad.mts(2,", failure.Message); // the joinToken of the wrong type, on line 2
        Assert.Contains("(pairCode: string) => string | Promise<string>", failure.Message);
    }

    [Fact]
    public async Task The_packed_ES_module_pairs_two_browser_pages()
    {
        var code = Codes.New();
        var pages = new List<Microsoft.Playwright.IPage>();
        foreach (var name in new[] { "a", "b" })
        {
            var page = await NewPageAsync(name);
            // The packed files, served under /packed/ on the server's origin.
            await page.RouteAsync("**/packed/**", route => route.FulfillAsync(new()
            {
                Path = Path.Combine(package.Installed, Path.GetFileName(new Uri(route.Request.Url).LocalPath)),
                ContentType = "text/javascript",
            }));
            // A document the real server sent, so the page's address space is the server's (as PeerPage does).
            await page.GotoAsync(new Uri(Server.Http, "/socketpeer/socketpeer.js").AbsoluteUri);
            await page.SetContentAsync($$"""
                <!doctype html><meta charset="utf-8"><title>packed</title>
                <script type="module">
                  import SocketPeer from '/packed/socketpeer.mjs';
                  window.peer = new SocketPeer({ pairCode: '{{code}}', webrtc: false });
                  window.peer.on('connect', () => { window.paired = true; });
                </script>
                """);
            pages.Add(page);
        }

        foreach (var page in pages)
            await page.WaitForFunctionAsync("() => window.paired === true", null, new() { Timeout = TimeoutMs });
    }
}

/// <summary>Packs src/Client once and installs the tarball into a fresh project in a temporary folder.</summary>
public sealed class ClientPackageFixture : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "socketpeer-client-" + Guid.NewGuid().ToString("N")[..8]);

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);

    public string Consumer => Path.Combine(_root, "consumer");

    /// <summary>The installed package's folder inside the consumer project.</summary>
    public string Installed => Path.Combine(Consumer, "node_modules", "@socketpeer", "client");

    public string Version { get; private set; } = "";

    private static string ClientFolder => Path.Combine(Repository.Root, "src", "Client");

    public async Task InitializeAsync()
    {
        var tsc = Path.Combine(ClientFolder, "node_modules", "typescript", "bin", "tsc");
        Assert.True(File.Exists(tsc), $"{tsc} is missing: run `npm ci --prefix src/Client` (./test.sh does)");
        Directory.CreateDirectory(Consumer);
        var tarball = (await RunInAsync(ClientFolder, "npm", "pack", "--silent", "--pack-destination", _root)).Trim();
        await File.WriteAllTextAsync(Path.Combine(Consumer, "package.json"), """{ "name": "consumer", "private": true }""");
        await RunAsync("npm", "install", "--offline", "--no-audit", "--no-fund", "--silent", Path.Combine(_root, tarball));
        Version = (await RunAsync("node", "-p", "require('@socketpeer/client/package.json').version")).Trim();
    }

    public Task DisposeAsync()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
        return Task.CompletedTask;
    }

    /// <summary>Type-checks <paramref name="file"/> in the consumer project, strict, as a browser module; throws with tsc's output when it fails.</summary>
    public Task<string> TypeCheckAsync(string file) => RunAsync("node",
        Path.Combine(ClientFolder, "node_modules", "typescript", "bin", "tsc"),
        "--noEmit", "--strict", "--lib", "dom,es2022", "--module", "nodenext", "--moduleResolution", "nodenext", file);

    public Task<string> RunAsync(string tool, params string[] args) => RunInAsync(Consumer, tool, args);

    private static async Task<string> RunInAsync(string folder, string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool, args)
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{tool} {string.Join(' ', args)} took over {CommandTimeout}");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{tool} {string.Join(' ', args)} exited {process.ExitCode}:\n{await stdout}\n{await stderr}");
        return await stdout;
    }
}
