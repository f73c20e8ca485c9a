using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace SocketPeer.Gateway.Limits;

/// <summary>
/// <c>SocketPeer:TrustedProxies</c>: the reverse proxies whose forwarded headers are believed.
/// ASP.NET Core's own switch (<c>ASPNETCORE_FORWARDEDHEADERS_ENABLED</c>) believes them from any
/// source, so anyone who reaches the port could pick the address every per-address limit counts;
/// this one names the proxies.
/// </summary>
public static class TrustedProxies
{
    /// <summary>An address (<c>10.1.2.3</c>, a network of one) or a network in CIDR form (<c>10.0.0.0/8</c>).</summary>
    public static bool TryParse(string value, out System.Net.IPNetwork network)
    {
        if (IPAddress.TryParse(value, out var address) && !value.Contains('/'))
        {
            if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
            network = new System.Net.IPNetwork(address, address.GetAddressBytes().Length * 8);
            return true;
        }
        // 10.1.2.3/8 names the /8 of 10.1.2.3 to .NET; here it is refused as a typo for a network
        // (bits set past the prefix), not widened to trust sixteen million addresses.
        return System.Net.IPNetwork.TryParse(value, out network)
            && IPAddress.TryParse(value.AsSpan(0, value.IndexOf('/')), out var written)
            && written.Equals(network.BaseAddress);
    }

    /// <summary>
    /// Forwarded headers from exactly <paramref name="proxies"/>: <c>X-Forwarded-For</c> and
    /// <c>X-Forwarded-Proto</c>, walked right to left for as long as each hop is one of them (no
    /// forward limit: a chain of trusted proxies, a load balancer then the ingress, works; an entry
    /// a client wrote itself is never reached past an untrusted hop). The defaults (loopback) are cleared.
    /// </summary>
    public static void Configure(ForwardedHeadersOptions options, IEnumerable<string> proxies)
    {
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        options.ForwardLimit = null;
        options.KnownIPNetworks.Clear();
        options.KnownProxies.Clear();
        foreach (var proxy in proxies)
            if (TryParse(proxy, out var network))
                options.KnownIPNetworks.Add(network);
    }
}
