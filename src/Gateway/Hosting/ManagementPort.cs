using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using SocketPeer.Gateway.Options;

namespace SocketPeer.Gateway.Hosting;

/// <summary>
/// <c>SocketPeer:ManagementUrl</c>: health and metrics on their own listener. Kestrel takes either
/// the URLs (<c>ASPNETCORE_URLS</c>, <c>--urls</c>) or endpoints set in code, never both, so when a
/// management URL is set both are bound here: the public URLs as configured, then the management
/// one. A request is told apart by the listener that accepted its connection (its local port), which
/// a client cannot forge the way it can a <c>Host</c> header: the management listener serves
/// <see cref="Paths"/> only, and the public one everything but them (404).
/// </summary>
public sealed class ManagementPort(IOptions<SocketPeerOptions> options, IConfiguration configuration)
{
    /// <summary>What the management listener serves, and the public one then does not.</summary>
    public static readonly string[] Paths = ["/healthz", "/ready", "/metrics"];

    private const string DefaultUrls = "http://localhost:5000";
    private ListenOptions? _listener;

    /// <summary>Whether health and metrics have a listener of their own.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(options.Value.ManagementUrl);

    /// <summary>The management listener's bound port, once Kestrel has bound it (null before, or when not enabled).</summary>
    public int? Port => _listener?.IPEndPoint?.Port is > 0 and var port ? port : null;

    public static bool IsManagementPath(PathString path) =>
        Paths.Any(p => path.Equals(p, StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether <paramref name="connection"/> came in through the management listener.</summary>
    public bool Accepted(ConnectionInfo connection) => Port is { } port && connection.LocalPort == port;

    /// <summary>The public URLs Kestrel would bind without us: <c>urls</c>, else <c>http_ports</c>, else its default.</summary>
    public static string[] PublicUrls(IConfiguration configuration)
    {
        var urls = configuration["urls"];
        if (string.IsNullOrWhiteSpace(urls) && configuration["http_ports"] is { Length: > 0 } ports)
            urls = string.Join(';', ports.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => $"http://*:{p}"));
        return (string.IsNullOrWhiteSpace(urls) ? DefaultUrls : urls)
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>Why <paramref name="url"/> cannot be bound here (null: it can): http only, an IP, <c>localhost</c>, <c>*</c> or <c>+</c>.</summary>
    public static string? WhyNotBindable(string url)
    {
        BindingAddress address;
        try
        {
            address = BindingAddress.Parse(url);
        }
        catch (FormatException e)
        {
            return e.Message;
        }
        if (address.IsNamedPipe || address.IsUnixPipe)
            return "a pipe or socket path, not host:port";
        if (!string.Equals(address.Scheme, "http", StringComparison.OrdinalIgnoreCase))
            return "not http (terminate TLS in front of the server, or leave ManagementUrl empty)";
        if (address.Port is < 0 or > 65535)
            return "not a port";
        if (address.Host is not ("*" or "+" or "localhost") && !IPAddress.TryParse(address.Host.Trim('[', ']'), out _))
            return "the host must be an IP address, localhost, * or +";
        if (address.Host == "localhost" && address.Port == 0)
            return "localhost takes no dynamic port (0)";
        return null;
    }

    /// <summary>Binds the public URLs and the management URL (when <see cref="Enabled"/>).</summary>
    public void Bind(KestrelServerOptions kestrel)
    {
        if (!Enabled) return;
        foreach (var url in PublicUrls(configuration))
            Listen(kestrel, url);
        _listener = Listen(kestrel, options.Value.ManagementUrl!);
    }

    private static ListenOptions Listen(KestrelServerOptions kestrel, string url)
    {
        var address = BindingAddress.Parse(url);
        ListenOptions? bound = null;
        void Keep(ListenOptions listen) => bound = listen;
        if (address.Host == "localhost")
            kestrel.ListenLocalhost(address.Port, Keep);
        else if (IPAddress.TryParse(address.Host.Trim('[', ']'), out var ip))
            kestrel.Listen(ip, address.Port, Keep);
        else
            kestrel.ListenAnyIP(address.Port, Keep);
        return bound!;
    }
}
