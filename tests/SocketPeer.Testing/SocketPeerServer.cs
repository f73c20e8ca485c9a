using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SocketPeer.Actors.Diagnostics;
using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Sessions;
using SocketPeer.Gateway.Hosting;

namespace SocketPeer.Testing;

/// <summary>A real SocketPeer host on Kestrel at 127.0.0.1:0 with a one-node cluster on a free port.</summary>
public sealed class SocketPeerServer : IAsyncDisposable
{
    private static readonly TimeSpan ReadyWithin = TimeSpan.FromSeconds(60);
    private readonly WebApplication _app;

    private SocketPeerServer(WebApplication app, Uri http)
    {
        _app = app;
        Http = http;
    }

    public Uri Http { get; }

    /// <summary>The management listener (health and metrics) when <c>SocketPeer:ManagementUrl</c> is set.</summary>
    public Uri? Management { get; private init; }

    /// <summary>The per-address rate limits <see cref="StartAsync(ValueTuple{string, string}[])"/> lifts unless a test sets them.</summary>
    public static readonly string[] LiftedRateLimits =
    [
        "ConnectsPerMinute", "ConnectBurst", "PairsPerMinute", "PairBurst", "BusyPerMinute", "BusyBurst",
        "Ice:CredentialsPerMinute", "Ice:CredentialBurst",
    ];

    private const int Lifted = 100_000;

    public Uri Socket => new UriBuilder(Http) { Scheme = "ws", Path = "/socketpeer/" }.Uri;

    public SocketPeerMetrics Metrics => _app.Services.GetRequiredService<SocketPeerMetrics>();

    public IServiceProvider Services => _app.Services;

    public ActorSystem System => _app.Services.GetRequiredService<ActorSystem>();

    /// <summary>This node's cluster address (<c>akka.tcp://socketpeer@127.0.0.1:port</c>), a seed for others.</summary>
    public Akka.Actor.Address ClusterAddress => Akka.Cluster.Cluster.Get(System).SelfAddress;

    /// <param name="settings">Configuration overrides, e.g. <c>("SocketPeer:PeerTimeout", "00:00:01")</c>.</param>
    public static Task<SocketPeerServer> StartAsync(params (string Key, string Value)[] settings) =>
        StartAsync(_ => { }, settings);

    /// <param name="configure">changes to the host's services (a test double in place of a real one).</param>
    public static async Task<SocketPeerServer> StartAsync(Action<WebApplicationBuilder> configure,
        params (string Key, string Value)[] settings)
    {
        var args = new List<string> { "--urls", "http://127.0.0.1:0", "--SocketPeer:Cluster:Port=0" };
        // Every test connects from 127.0.0.1, many tests to one server: the per-address rate limits
        // are lifted unless a test sets them (a later setting wins). The concurrent limit stays.
        args.AddRange(LiftedRateLimits.Select(key => $"--SocketPeer:{key}={Lifted}"));
        // No test may contact a STUN server on the internet (browser tests run on loopback): the
        // default public list is off unless a test turns it on.
        args.Add("--SocketPeer:Ice:DefaultStun=false");
        // Every host in a test process shares its working set: the memory check would judge the test
        // runner, not a node. It is off unless a test turns it on (ConnectionGateTests cover it).
        args.Add("--SocketPeer:MemoryLimitPercent=0");
        args.AddRange(settings.Select(s => $"--{s.Key}={s.Value}"));
        var app = SocketPeerApp.Create([.. args],
            builder =>
            {
                builder.Logging.SetMinimumLevel(LogLevel.Warning);
                configure(builder);
            },
            contentRoot: AppContext.BaseDirectory);
        await app.StartAsync();
        var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>()
            .Addresses.Select(a => new Uri(a)).ToList();
        // With a management URL, Kestrel binds two listeners; the public one is the other one.
        var management = app.Services.GetRequiredService<ManagementPort>().Port;
        var server = new SocketPeerServer(app, addresses.Single(a => a.Port != management))
        {
            Management = management is null ? null : addresses.Single(a => a.Port == management),
        };
        await server.WaitUntilReadyAsync();
        return server;
    }

    public Task<TestClient> ConnectAsync(string? origin = null) => TestClient.ConnectAsync(Socket, origin);

    public HttpClient CreateHttpClient() => new() { BaseAddress = Http };

    /// <summary>
    /// Waits for this node to be an Up member, then for <c>/ready</c> to agree (its shard regions may
    /// take a moment longer to answer on a loaded machine).
    /// </summary>
    private async Task WaitUntilReadyAsync()
    {
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Akka.Cluster.Cluster.Get(_app.Services.GetRequiredService<ActorSystem>()).RegisterOnMemberUp(up.SetResult);
        await up.Task.WaitAsync(ReadyWithin);
        // What /ready asks besides membership: both shard regions answer (an Ask is its own wait).
        var registry = _app.Services.GetRequiredService<ActorRegistry>();
        await Task.WhenAll(
            registry.Get<RoomRegion>().Ask<CurrentShardRegionState>(GetShardRegionState.Instance, ReadyWithin),
            registry.Get<SessionRegion>().Ask<CurrentShardRegionState>(GetShardRegionState.Instance, ReadyWithin));
        // /ready's own cluster check learns of Up from a member-up callback of its own, which may run
        // just after ours: it is asked until it agrees (each answer paces the next), within the same bound.
        using var http = new HttpClient { BaseAddress = Management ?? Http };
        using var deadline = new CancellationTokenSource(ReadyWithin);
        var last = "";
        while (!deadline.IsCancellationRequested)
        {
            using var response = await http.GetAsync("/ready", CancellationToken.None);
            if (response.IsSuccessStatusCode) return;
            last = $"{response.StatusCode}: {await response.Content.ReadAsStringAsync(CancellationToken.None)}";
        }
        Assert.Fail($"/ready never agreed once the node was Up and its shard regions answered; last answer {last}");
    }

    /// <summary>
    /// Waits until the room of <paramref name="code"/> exists on this node: the first join for a code
    /// starts its room, and every later join queues behind it, so a client that joins after this is
    /// the newcomer (the initiator). A client's own <c>waiting</c> state only says that it sent
    /// <c>pair</c>. Each answer of the region paces the next question.
    /// </summary>
    public async Task WaitForRoomAsync(string code)
    {
        var rooms = _app.Services.GetRequiredService<ActorRegistry>().Get<RoomRegion>();
        using var deadline = new CancellationTokenSource(ReadyWithin);
        while (!deadline.IsCancellationRequested)
        {
            var state = await rooms.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, ReadyWithin);
            if (state.Shards.Any(shard => shard.EntityIds.Contains(code))) return;
        }
        Assert.Fail($"no room for '{code}' within {ReadyWithin}");
    }

    /// <summary>Stops the host gracefully, as SIGTERM does: sockets close with 1012, the node leaves.</summary>
    public Task StopAsync() => _app.StopAsync();

    /// <summary>
    /// The in-process stand-in for kill -9 (real processes are the chaos harness's job): this node's
    /// remoting port refuses connections from now on and its remoting connections close, with no leave
    /// and no word from its actors (its actor system keeps running, cut off). The port is refused
    /// first and directly, because the transport's own shutdown closes its listener last, after every
    /// connection's close completed: seconds on a loaded box, during which the "crashed" node still
    /// accepts connections like a frozen one. Stopping the actor system instead would be a clean exit
    /// (remote watchers hear that its shard regions stopped). The shutdown itself is not awaited: it
    /// may wait out remoting's shutdown timeout, and nothing after the crash should wait for it.
    /// </summary>
    public void Crash()
    {
        RefuseClusterPort();
        CutClusterConnections();
    }

    /// <summary>The first half of <see cref="Crash"/>: the remoting port refuses connections, the connections stay.</summary>
    public void RefuseClusterPort()
    {
        var port = ClusterAddress.Port ?? throw new InvalidOperationException("no remoting port");
        if (ListeningPorts.Refuse(port) == 0)
            throw new InvalidOperationException($"nothing of this process listens on the remoting port {port}");
    }

    /// <summary>The second half of <see cref="Crash"/>: the remoting connections close (the others see them drop).</summary>
    public void CutClusterConnections() =>
        _ = ((Akka.Remote.RemoteActorRefProvider)((ExtendedActorSystem)System).Provider).Transport.Shutdown()
            .ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted); // observed: a cut-off node's shutdown may fail

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
