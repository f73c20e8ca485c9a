using Microsoft.Extensions.Options;
using SocketPeer.Gateway.Capacity;
using SocketPeer.Gateway.Hosting;

namespace SocketPeer.Gateway.Options;

/// <summary>
/// The rules that need the host's own settings beside <see cref="SocketPeerOptions"/>: the
/// management URL against the public URLs, no forwarded headers believed from anyone, and an
/// open-files limit that leaves room for sockets.
/// </summary>
public sealed class HostingOptionsValidator(IConfiguration configuration, HostLimits host) : IValidateOptions<SocketPeerOptions>
{
    public ValidateOptionsResult Validate(string? name, SocketPeerOptions o)
    {
        var failures = new List<string>();
        // ASP.NET Core's switch believes X-Forwarded-For from any source: whoever reaches the port
        // would choose the address every per-address limit counts.
        if (string.Equals(configuration["FORWARDEDHEADERS_ENABLED"], "true", StringComparison.OrdinalIgnoreCase))
            failures.Add("ASPNETCORE_FORWARDEDHEADERS_ENABLED believes X-Forwarded-For from any source; unset it and list your proxies' networks in SocketPeer:TrustedProxies instead.");
        if (!string.IsNullOrWhiteSpace(o.ManagementUrl))
        {
            if (ManagementPort.WhyNotBindable(o.ManagementUrl) is { } why)
                failures.Add($"SocketPeer:ManagementUrl '{o.ManagementUrl}': {why}.");
            var publicUrls = ManagementPort.PublicUrls(configuration);
            foreach (var url in publicUrls)
                if (ManagementPort.WhyNotBindable(url) is { } whyNot)
                    failures.Add($"SocketPeer:ManagementUrl is set, so the public URL '{url}' is bound by SocketPeer, which cannot: {whyNot}.");
            if (PortOf(o.ManagementUrl) is > 0 and var port && publicUrls.Any(u => PortOf(u) == port))
                failures.Add($"SocketPeer:ManagementUrl uses port {port}, which a public URL uses too: health and metrics need a port of their own.");
        }
        // A node that could hold no socket at all stops here rather than refusing every client.
        if (ConnectionCapacity.From(host.Descriptors, o.MaxConnections).Problem is { } problem)
            failures.Add($"SocketPeer: {problem}.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static int? PortOf(string url)
    {
        try
        {
            return BindingAddress.Parse(url).Port;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
