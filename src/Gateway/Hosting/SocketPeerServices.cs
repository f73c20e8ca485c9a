using System.Diagnostics.Metrics;
using System.Threading.RateLimiting;
using Akka.Cluster.Hosting;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using SocketPeer.Actors.Cluster;
using SocketPeer.Actors.Diagnostics;
using SocketPeer.Actors.Events;
using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Sessions;
using SocketPeer.Gateway.Capacity;
using SocketPeer.Gateway.Connections;
using SocketPeer.Gateway.Health;
using SocketPeer.Gateway.Ice;
using SocketPeer.Gateway.Ingress;
using SocketPeer.Gateway.Limits;
using SocketPeer.Gateway.Options;
using SocketPeer.Gateway.Protocol;
using SocketPeer.Gateway.Webhooks;

namespace SocketPeer.Gateway.Hosting;

public static class SocketPeerServices
{
    public const string ConnectionsPerAddressPolicy = "socketpeer-connections-per-address";
    public const string IceRequestsPolicy = "socketpeer-ice-requests";

    /// <summary>ICE list requests one client address may make per minute (each mints a TURN credential).</summary>
    public const int IceRequestsPerMinute = 30;
    public const string LiveTag = "live";
    public const string ReadyTag = "ready";

    /// <summary>Binds and validates <see cref="SocketPeerOptions"/> at start-up, and what Kestrel takes from them.</summary>
    public static WebApplicationBuilder AddSocketPeerOptions(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SocketPeerOptions>()
            .BindConfiguration(SocketPeerOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // docs/architecture.md section 8: SocketPeer__Cluster__SeedNodes (and __Roles) may be one comma-separated
        // value as well as the indexed form (__0, __1, ...); the binder ignores a plain value for an array.
        services.AddOptions<SocketPeerOptions>().PostConfigure<IConfiguration>((o, configuration) =>
        {
            o.Cluster.SeedNodes = CommaSeparated(configuration, "SeedNodes") ?? o.Cluster.SeedNodes;
            o.Cluster.Roles = CommaSeparated(configuration, "Roles") ?? o.Cluster.Roles;
            o.Ice.ApplyDefaults();
        });
        services.AddSingleton<IValidateOptions<SocketPeerOptions>, SocketPeerOptionsValidator>();
        services.AddSingleton<IValidateOptions<SocketPeerOptions>, HostingOptionsValidator>();
        services.AddSingleton<ManagementPort>();
        services.TryAddSingleton(_ => HostLimits.Read());
        services.AddSingleton(provider => ConnectionCapacity.From(provider.GetRequiredService<HostLimits>().Descriptors,
            provider.GetRequiredService<IOptions<SocketPeerOptions>>().Value.MaxConnections));
        services.AddHostedService<CapacityReport>();
        // A client that opens a connection and trickles its upgrade request (slowloris) holds a
        // connection slot until Kestrel's header timeout (30 s by default): bound it with ours.
        // With a management URL, the listeners are bound here (ManagementPort).
        services.AddOptions<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>()
            .Configure<IOptions<SocketPeerOptions>, ManagementPort, ConnectionCapacity>((kestrel, o, management, capacity) =>
            {
                kestrel.Limits.RequestHeadersTimeout = o.Value.HandshakeTimeout;
                // Connections not upgraded also hold a descriptor (a raw TCP connection that never
                // sends a request, a trickled upgrade): Kestrel bounds them, above what the socket
                // cap refuses so that a refused upgrade can still be answered 503. Upgraded ones
                // leave this count (Kestrel moves them to its upgraded count, left unbounded):
                // ConnectionGate bounds those before the upgrade, with a 503 Kestrel's own limit
                // could not give once the application has accepted. The bound is per listener: a
                // management listener's few probes and scrapes have one too, which the headroom covers.
                kestrel.Limits.MaxConcurrentConnections = capacity.PendingConnections;
                management.Bind(kestrel);
            });
        // Forwarded headers from the configured proxies only (used when TrustedProxies is not empty).
        services.AddOptions<ForwardedHeadersOptions>()
            .Configure<IOptions<SocketPeerOptions>>((forwarded, o) => TrustedProxies.Configure(forwarded, o.Value.TrustedProxies));
        return builder;
    }

    /// <summary>The WebSocket edge: decoding, the ingress lanes, the outbound pump, resume and the connection handler (one of each per node).</summary>
    public static WebApplicationBuilder AddSocketPeerEdge(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton<IPairCodeValidator, PairCodeValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<WireDecoder>();
        services.AddSingleton<IceServerProvider>();
        services.AddSingleton(ResumeSettingsFrom);
        services.AddSingleton(ResumeTokensFrom);
        services.AddSingleton(provider => new SocketPeerMetrics(provider.GetRequiredService<IMeterFactory>()).Declare(
            // What the dashboard and the alerts (deploy/k8s/components/monitoring) watch.
            errorCodes: [ServerErrorCodes.ResumeFailed, ServerErrorCodes.InternalError, ServerErrorCodes.RateLimited, ServerErrorCodes.PairLimited],
            closeCodes: [CloseCodes.PolicyViolation, CloseCodes.InternalError, CloseCodes.ServiceRestart, CloseCodes.SlowConsumer,
                CloseCodes.SessionResumed, CloseCodes.Idle],
            limits: [AddressLimits.OpenSockets, AddressLimits.NewSockets, AddressLimits.Pairs, AddressLimits.TurnCredentials,
                AddressLimits.IceRequests],
            refusals: [ConnectionGate.Sockets, ConnectionGate.Memory]));
        services.AddSingleton<IngressLanes>();
        services.AddSingleton<ClientFrameEncoder>();
        services.AddSingleton<ResumeCoordinator>();
        services.AddSingleton<OutboundPump>();
        services.AddSingleton<ConnectionHandler>();
        services.AddSingleton<ConnectionDrain>();
        services.TryAddSingleton<IMemoryGauge, ProcessMemoryGauge>();
        services.AddSingleton<ConnectionGate>();
        return builder;
    }

    /// <summary>
    /// Health checks (liveness, readiness), metrics (OpenTelemetry, Prometheus exporter) and, when the
    /// <c>OTEL_*</c> variables ask for it, traces to OTLP (<see cref="TracingExport"/>).
    /// </summary>
    public static WebApplicationBuilder AddSocketPeerHealthAndMetrics(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddHealthChecks().AddCheck<StoppingCheck>(StoppingCheck.Name, tags: [ReadyTag]);
        var telemetry = services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(SocketPeerMetrics.MeterName)
            .AddAspNetCoreInstrumentation()
            .AddRuntimeInstrumentation()
            .AddPrometheusExporter());
        // No ASP.NET Core tracing: the socket's own span covers its upgrade request, and request spans
        // would add one per probe and scrape, none of them part of a pairing.
        if (TracingExport.IsOn(builder.Configuration)) telemetry.WithTracing(TracingExport.Configure);
        return builder;
    }

    /// <summary>
    /// Per-address limits, each keyed by the client's address prefix (<see cref="ClientAddress"/>):
    /// open sockets and ICE list requests here (the rate limiter middleware); new sockets, pair
    /// attempts, busy answers and TURN credentials in <see cref="AddressLimits"/>.
    /// </summary>
    public static WebApplicationBuilder AddSocketPeerLimits(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<AddressLimits>();
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (context, cancel) =>
            {
                var http = context.HttpContext;
                http.RequestServices.GetRequiredService<SocketPeerMetrics>().Limited(
                    http.Request.Path.StartsWithSegments(IceEndpoint.Path) ? AddressLimits.IceRequests : AddressLimits.OpenSockets);
                return new ValueTask(http.Response.WriteAsync(
                    "SocketPeer: too many requests or open connections from this address\n", cancel));
            };
            limiter.AddPolicy(ConnectionsPerAddressPolicy, http =>
            {
                var max = http.RequestServices.GetRequiredService<IOptions<SocketPeerOptions>>().Value.ConnectionsPerAddress;
                // A WebSocket request lasts as long as its socket, so a concurrency lease is an open socket.
                return RateLimitPartition.GetConcurrencyLimiter(KeyOf(http),
                    _ => new ConcurrencyLimiterOptions { PermitLimit = max, QueueLimit = 0 });
            });
            limiter.AddPolicy(IceRequestsPolicy, http =>
                RateLimitPartition.GetFixedWindowLimiter(KeyOf(http),
                    _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = IceRequestsPerMinute,
                        Window = TimeSpan.FromMinutes(1),
                        QueueLimit = 0,
                    }));
        });
        return builder;

        static string KeyOf(HttpContext http) => http.RequestServices.GetRequiredService<AddressLimits>().KeyOf(http);
    }

    /// <summary>
    /// Room events for the application's backend (docs/webhooks.md): with <c>SocketPeer:Webhook:Url</c>
    /// set, session actors announce into a bounded queue and <see cref="WebhookSender"/> delivers it;
    /// otherwise they announce to nothing.
    /// </summary>
    public static WebApplicationBuilder AddSocketPeerWebhooks(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton(provider => new WebhookQueue(
            provider.GetRequiredService<IOptions<SocketPeerOptions>>().Value.Webhook.QueueCapacity,
            provider.GetRequiredService<SocketPeerMetrics>()));
        services.AddSingleton<IRoomEvents>(provider =>
            provider.GetRequiredService<IOptions<SocketPeerOptions>>().Value.Webhook.Enabled
                ? provider.GetRequiredService<WebhookQueue>()
                : NoRoomEvents.Instance);
        // Each attempt has its own deadline (RequestTimeout); the client's own would cut a retry short.
        // Its per-request log lines are off: one per event would drown the log (WebhookSender logs
        // when deliveries start failing and when they work again).
        services.AddHttpClient(WebhookSender.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers();
        services.AddHostedService<WebhookSender>();
        return builder;
    }

    /// <summary>The actor system: the cluster, the session and room shard regions, their health checks, and the graceful stop.</summary>
    public static WebApplicationBuilder AddSocketPeerActors(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddAkka(ClusterSettings.SystemName, (akka, provider) =>
        {
            var options = provider.GetRequiredService<IOptions<SocketPeerOptions>>().Value;
            akka.ConfigureLoggers(loggers =>
                {
                    loggers.ClearLoggers();
                    loggers.AddLoggerFactory();
                })
                .AddSocketPeerCluster(options.Cluster,
                    new SessionSettings(options.PeerTimeout, provider.GetRequiredService<ResumeSettings>()),
                    provider.GetRequiredService<SocketPeerMetrics>(),
                    provider.GetRequiredService<IRoomEvents>())
                .WithActorSystemLivenessCheck(tags: [LiveTag])
                .WithAkkaClusterReadinessCheck(tags: [ReadyTag])
                .WithHealthCheck(ShardRegionsReadyCheck.Name, ShardRegionsReadyCheck.CheckAsync, tags: [ReadyTag])
                // The host drives the graceful stop, not Akka's own process-exit hook: on SIGTERM the
                // runtime raises ProcessExit, and Akka's hook would run coordinated shutdown at once,
                // before ApplicationStopping has told a single socket 1012. The shards then hand off
                // and the system terminates under open sockets, which end with a bare 1000. Akka.Hosting
                // has no typed option for this key.
                .AddHocon("akka.coordinated-shutdown.run-by-clr-shutdown-hook = off", HoconAddMode.Prepend)
                .AddStartup((system, _) => provider.GetRequiredService<IngressLanes>().Start(system))
                .AddStartup((system, registry) =>
                {
                    var metrics = provider.GetRequiredService<SocketPeerMetrics>();
                    metrics.ObserveCluster(system);
                    system.ActorOf(ShardStatsPoller.Props(registry.Get<RoomRegion>(), SocketPeerMetrics.RoomsRegion, metrics), "room-shard-stats");
                    system.ActorOf(ShardStatsPoller.Props(registry.Get<SessionRegion>(), SocketPeerMetrics.SessionsRegion, metrics), "session-shard-stats");
                })
                .AddStartup((system, _) => DrainSocketsBeforeLeaving(system,
                    provider.GetRequiredService<ConnectionDrain>(), options.CloseTimeout))
                .AddStartup((system, _) => provider.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping
                    .Register(NodeStopping.Get(system).Begin));
        });
        return builder;
    }

    /// <summary>
    /// Graceful stop, in order (docs/architecture.md section 5): readiness is false from the first moment
    /// (<see cref="StoppingCheck"/>) and every socket is told 1012 (ConnectionHandler, on
    /// ApplicationStopping); coordinated shutdown then waits here until they have closed (at most two
    /// close timeouts: the closing handshake, then reading the client's answer), and only then hands
    /// shards off and leaves the cluster. The host may stop the actor system before Kestrel, and the
    /// connections' outboxes and sessions live on it. Akka ends the phase after its own timeout (5 s by default) anyway.
    /// </summary>
    private static void DrainSocketsBeforeLeaving(Akka.Actor.ActorSystem system, ConnectionDrain drain, TimeSpan closeTimeout) =>
        Akka.Actor.CoordinatedShutdown.Get(system).AddTask(Akka.Actor.CoordinatedShutdown.PhaseServiceRequestsDone,
            "socketpeer-close-sockets", async () =>
            {
                await drain.AllClosedAsync(closeTimeout * 2);
                return Akka.Done.Instance;
            });

    private static string[]? CommaSeparated(IConfiguration configuration, string clusterKey)
    {
        var value = configuration[$"{SocketPeerOptions.Section}:Cluster:{clusterKey}"];
        return string.IsNullOrWhiteSpace(value)
            ? null
            : value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Resume settings from options; one random secret per process when none is configured.</summary>
    private static ResumeSettings ResumeSettingsFrom(IServiceProvider provider)
    {
        var options = provider.GetRequiredService<IOptions<SocketPeerOptions>>().Value;
        var secret = options.Resume.SecretBytes();
        if (secret is null && options.Cluster.SeedNodes.Length > 0)
            provider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SocketPeerServices)).LogWarning(
                "SocketPeer:Resume:Secret is not set on a multi-node cluster: a client can resume only on the node it first connected to");
        return new ResumeSettings(options.Resume.TokenLifetime, options.Resume.Grace, options.Resume.BufferMessages);
    }

    /// <summary>
    /// The resume token format with the configured keys (validated at start-up): the current secret
    /// signs, the previous ones still verify. No secret configured: one random key per process.
    /// </summary>
    private static ResumeTokens ResumeTokensFrom(IServiceProvider provider)
    {
        var resume = provider.GetRequiredService<IOptions<SocketPeerOptions>>().Value.Resume;
        var current = new SigningKey(new KeyId(resume.SecretId),
            resume.SecretBytes() ?? System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var previous = resume.PreviousSecrets.Select(p => new SigningKey(new KeyId(p.Id!), ResumeOptions.Decode(p.Secret)!));
        return new ResumeTokens(new SigningKeys(current, previous), resume.TokenLifetime, provider.GetRequiredService<TimeProvider>());
    }
}
