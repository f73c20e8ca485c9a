using System.Globalization;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using SocketPeer.Gateway.Capacity;
using SocketPeer.Gateway.Connections;
using SocketPeer.Gateway.Ice;
using SocketPeer.Gateway.Limits;
using SocketPeer.Gateway.Options;

namespace SocketPeer.Gateway.Hosting;

public static class SocketPeerEndpoints
{
    public const string SocketPath = "/socketpeer";

    /// <summary>The WebSocket endpoint, the static client and demo, health and metrics.</summary>
    public static WebApplication MapSocketPeer(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<SocketPeerOptions>>().Value;
        // Before anything reads the client's address: the rate limiter, the connection handler.
        if (options.TrustedProxies.Length > 0)
            app.UseForwardedHeaders();
        var management = app.Services.GetRequiredService<ManagementPort>();
        if (management.Enabled)
            app.Use(ServeOnTheirOwnListener(management));

        var webSockets = new WebSocketOptions
        {
            KeepAliveInterval = options.KeepAliveInterval,
            // A ping unanswered this long aborts the socket: a client that went silent (or one stuck
            // inside a partial frame header, where no pong can be read) is not kept for good.
            KeepAliveTimeout = options.KeepAliveTimeout > TimeSpan.Zero ? options.KeepAliveTimeout : Timeout.InfiniteTimeSpan,
        };
        foreach (var origin in options.AllowedOrigins)
            webSockets.AllowedOrigins.Add(origin); // others get 403 before the upgrade
        app.UseWebSockets(webSockets);
        app.UseRateLimiter();
        if (options.ServeLibrary)
            UseClientFiles(app);

        // Routing matches "/socketpeer" and "/socketpeer/" alike (the original client uses the slash).
        app.MapGet(SocketPath, AcceptAsync).RequireRateLimiting(SocketPeerServices.ConnectionsPerAddressPolicy);

        app.MapGet(IceEndpoint.Path, IceEndpoint.HandleAsync).RequireRateLimiting(SocketPeerServices.IceRequestsPolicy);

        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = c => c.Tags.Contains(SocketPeerServices.LiveTag) });
        app.MapHealthChecks("/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(SocketPeerServices.ReadyTag) });
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }

    /// <summary>Health and metrics on the management listener only, and nothing else there (404 both ways).</summary>
    private static Func<HttpContext, RequestDelegate, Task> ServeOnTheirOwnListener(ManagementPort management) =>
        (http, next) =>
        {
            if (management.Accepted(http.Connection) == ManagementPort.IsManagementPath(http.Request.Path))
                return next(http);
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        };

    /// <summary>
    /// The <c>Retry-After</c> of a 503 from a full node: long enough for sockets to close or the load
    /// balancer to send the client elsewhere, short enough that a client is not lost for it.
    /// </summary>
    private const int FullNodeRetryAfterSeconds = 5;

    private static async Task AcceptAsync(HttpContext http, ConnectionHandler connections, ConnectionDrain drain,
        AddressLimits limits, ConnectionGate gate)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            var triedToUpgrade = http.Request.Headers.Upgrade.ToString().Contains("websocket", StringComparison.OrdinalIgnoreCase);
            http.Response.StatusCode = triedToUpgrade ? StatusCodes.Status400BadRequest : StatusCodes.Status426UpgradeRequired;
            http.Response.Headers.Upgrade = "websocket";
            await http.Response.WriteAsync(triedToUpgrade
                ? "SocketPeer: malformed WebSocket handshake\n"
                : "SocketPeer: this endpoint speaks WebSocket only; connect with Upgrade: websocket\n");
            return;
        }
        // The node's own capacity first: a client refused here spends none of its address's connects.
        using var slot = gate.TryAdmit(out var refusedFor);
        if (slot is null)
        {
            http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            http.Response.Headers.RetryAfter = FullNodeRetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            await http.Response.WriteAsync(refusedFor == ConnectionGate.Memory
                ? "SocketPeer: this node is near its memory limit; retry later\n"
                : "SocketPeer: this node holds all the connections it can; retry later\n");
            return;
        }
        // Open sockets per address are the rate limiter middleware's (ConnectionsPerAddress); new ones
        // per minute are counted here, so a refusal there spends no connect.
        var key = limits.KeyOf(http);
        if (limits.TryConnect(key) is { } retryAfter)
        {
            http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            await http.Response.WriteAsync("SocketPeer: too many new connections from this address; retry later\n");
            return;
        }
        using var open = drain.Track(); // a graceful stop waits for it (ConnectionDrain)
        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        await connections.RunAsync(socket, http, limits.For(key));
    }

    /// <summary>The resource names of the browser client's files (SocketPeer.Gateway.csproj).</summary>
    private const string ClientResourcePrefix = "SocketPeer.Gateway.Client";

    /// <summary>The demo at <c>/</c> and the client library at <c>/socketpeer/socketpeer.js</c>, with ETags.</summary>
    private static void UseClientFiles(WebApplication app)
    {
        var types = new FileExtensionContentTypeProvider();
        types.Mappings[".ts"] = "application/typescript; charset=utf-8";
        types.Mappings[".mts"] = "application/typescript; charset=utf-8";
        types.Mappings[".mjs"] = "text/javascript; charset=utf-8";
        app.UseDefaultFiles();
        app.UseStaticFiles(new StaticFileOptions { ContentTypeProvider = types });
        // The browser client (src/Client), embedded in this assembly.
        app.UseStaticFiles(new StaticFileOptions
        {
            RequestPath = SocketPath,
            FileProvider = new EmbeddedFileProvider(typeof(SocketPeerEndpoints).Assembly, ClientResourcePrefix),
            ContentTypeProvider = types,
            // Revalidate against the ETag so a new deployment's client reaches browsers at once.
            OnPrepareResponse = file => file.Context.Response.Headers.CacheControl = "public, max-age=60, must-revalidate",
        });
    }
}
