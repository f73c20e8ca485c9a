using System.Diagnostics;
using Microsoft.Playwright;
using SocketPeer.Testing;
using Xunit.Abstractions;

namespace SocketPeer.Browser.Tests;

/// <summary>
/// The ORIGINAL 2015 client bundle (cvan/socketpeer's socketpeer.js: browserify + simple-peer 4) in
/// two real pages, against our server. The bundle is read from a git mirror of that repository at
/// test time into a temporary directory; it is never committed here.
/// </summary>
public sealed class OriginalClientBrowserTests(BrowserFixture fixture, ITestOutputHelper output)
    : BrowserTest(fixture, output), IClassFixture<BrowserFixture>
{
    /// <summary>
    /// simple-peer 4 asks for a public STUN server (and spells it the deprecated way): keep every
    /// candidate on this machine by giving its RTCPeerConnection no ICE servers.
    /// </summary>
    internal const string LocalIceOnly = """
        (() => {
          const Native = window.RTCPeerConnection;
          window.RTCPeerConnection = class extends Native {
            constructor(config, constraints) { super({ ...(config || {}), iceServers: [] }); }
          };
        })();
        """;

    private const string Start = """
        ([code, name]) => {
          window.events = [];
          window.received = [];
          const peer = new SocketPeer({ pairCode: code, url: location.origin + '/socketpeer/' });
          window.peer = peer;
          for (const name of ['connect', 'upgrade', 'downgrade', 'busy', 'peer.found', 'upgrade_attempt'])
            peer.on(name, () => events.push(name));
          peer.on('error', (err) => events.push('error: ' + (err && err.message)));
          peer.on('data', (data) => received.push(data));
          // As the original demo did: say hello on peer.found, before any upgrade can have happened.
          peer.on('peer.found', () => {
            window.helloWentOverWebRtc = peer.rtcConnected;
            peer.send({ hello: name });
          });
        }
        """;

    private async Task<IPage> OpenOriginalClientAsync(string name, string bundle, string code)
    {
        var page = await NewPageAsync(name, LocalIceOnly);
        await page.GotoAsync(new Uri(Server.Http, "/socketpeer/socketpeer.js").ToString()); // the server's origin
        await page.SetContentAsync("""<!doctype html><title>original SocketPeer client</title><link rel="icon" href="data:,">""");
        await page.AddScriptTagAsync(new() { Path = bundle });
        Assert.True(await page.EvaluateAsync<bool>("() => typeof SocketPeer === 'function' && !SocketPeer.version"),
            "the page must run the original bundle, not ours");
        await page.EvaluateAsync(Start, new[] { code, name });
        return page;
    }

    private static Task WaitAsync(IPage page, string predicate, object? arg = null) =>
        page.WaitForFunctionAsync(predicate, arg, new() { PollingInterval = 50, Timeout = TimeoutMs });

    [OriginalClientFact]
    public async Task Two_pages_running_the_original_2015_client_pair_and_exchange_data_through_our_server()
    {
        var bundle = OriginalClientFactAttribute.ExtractBundle();
        try
        {
            await PairAndExchangeAsync(bundle);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(bundle)!, recursive: true);
        }
    }

    private async Task PairAndExchangeAsync(string bundle)
    {
        var code = Codes.New();
        var relayedBefore = Server.Metrics.Snapshot().RelayedData;

        var a = await OpenOriginalClientAsync("original-a", bundle, code);
        var b = await OpenOriginalClientAsync("original-b", bundle, code);
        await WaitAsync(a, "() => events.includes('connect')");
        await WaitAsync(b, "() => events.includes('connect')");

        // Before the upgrade the original sends through the server: the hellos sent on peer.found.
        await WaitAsync(b, "() => received.some(d => d && d.hello === 'original-a')");
        await WaitAsync(a, "() => received.some(d => d && d.hello === 'original-b')");
        Assert.False(await a.EvaluateAsync<bool>("() => helloWentOverWebRtc"));
        Assert.False(await b.EvaluateAsync<bool>("() => helloWentOverWebRtc"));
        Assert.Equal(relayedBefore + 2, Server.Metrics.Snapshot().RelayedData);

        // Its signalling (rtc.connect, simple-peer's offer, answer and candidates) crosses our server.
        await WaitAsync(a, "() => events.includes('upgrade')");
        await WaitAsync(b, "() => events.includes('upgrade')");
        var relayedAfterUpgrade = Server.Metrics.Snapshot().RelayedData;
        await a.EvaluateAsync("() => peer.send('over WebRTC a→b')");
        await b.EvaluateAsync("() => peer.send('over WebRTC b→a')");
        await WaitAsync(b, "() => received.includes('over WebRTC a→b')");
        await WaitAsync(a, "() => received.includes('over WebRTC b→a')");
        Assert.Equal(relayedAfterUpgrade, Server.Metrics.Snapshot().RelayedData);
        foreach (var page in new[] { a, b })
            Assert.DoesNotContain(await page.EvaluateAsync<string[]>("() => events"), e => e.StartsWith("error"));
    }
}

/// <summary>
/// Runs when the git mirror of the original repository is present (<see cref="MirrorVariable"/>,
/// default <see cref="DefaultMirror"/>); skipped, saying why, where it is not.
/// </summary>
public sealed class OriginalClientFactAttribute : FactAttribute
{
    public const string MirrorVariable = "SOCKETPEER_ORIGINAL_REPO";
    public const string DefaultMirror = "/work/.mirror/cvan+socketpeer/repo";

    public OriginalClientFactAttribute()
    {
        if (!Directory.Exists(Mirror))
            Skip = $"no git mirror of cvan/socketpeer at {Mirror} (set {MirrorVariable})";
    }

    private static string Mirror => Environment.GetEnvironmentVariable(MirrorVariable) is { Length: > 0 } path ? path : DefaultMirror;

    /// <summary><c>git show HEAD:socketpeer.js</c> from the mirror, written to a fresh temporary file.</summary>
    public static string ExtractBundle()
    {
        var start = new ProcessStartInfo("git", ["-C", Mirror, "show", "HEAD:socketpeer.js"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var git = Process.Start(start) ?? throw new InvalidOperationException("git did not start");
        var stderr = git.StandardError.ReadToEndAsync();
        var bundle = git.StandardOutput.ReadToEnd();
        git.WaitForExit();
        Assert.True(git.ExitCode == 0, $"git show HEAD:socketpeer.js in {Mirror} failed: {stderr.Result}");
        var directory = Directory.CreateTempSubdirectory("socketpeer-2015-").FullName;
        var path = Path.Combine(directory, "socketpeer.js");
        File.WriteAllText(path, bundle);
        return path;
    }
}
