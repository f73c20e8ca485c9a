namespace SocketPeer.Gateway.Hosting;

/// <summary>
/// Builds the host, and reads as its table of contents: options, the edge, health and metrics,
/// limits, webhooks, the actors; then the endpoints. <c>Program</c> runs it; tests start it on <c>127.0.0.1:0</c>.
/// </summary>
public static class SocketPeerApp
{
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null,
        string? contentRoot = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = contentRoot,
        });
        builder.AddSocketPeerOptions()
            .AddSocketPeerEdge()
            .AddSocketPeerHealthAndMetrics()
            .AddSocketPeerLimits()
            .AddSocketPeerWebhooks()
            .AddSocketPeerActors();
        configure?.Invoke(builder);
        var app = builder.Build();
        app.MapSocketPeer();
        return app;
    }
}
