using System.Text.Json;
using Microsoft.Extensions.Options;
using SocketPeer.Actors.Sessions;
using SocketPeer.Gateway.Limits;
using SocketPeer.Gateway.Options;

namespace SocketPeer.Gateway.Ice;

/// <summary>
/// <c>GET /socketpeer/ice</c>: the ICE server list for a page that wants it before it connects.
/// Same origin rule as the WebSocket (a browser from an origin outside <c>AllowedOrigins</c> gets
/// 403), rate-limited per address (requests, and the TURN credentials it mints), never cached.
/// </summary>
public static class IceEndpoint
{
    public const string Path = "/socketpeer/ice";

    public static async Task HandleAsync(HttpContext http, IceServerProvider ice, IOptions<SocketPeerOptions> options,
        AddressLimits limits)
    {
        var allowed = options.Value.AllowedOrigins;
        var origin = http.Request.Headers.Origin.ToString();
        if (origin.Length > 0 && allowed.Length > 0)
        {
            if (!allowed.Contains(origin, StringComparer.OrdinalIgnoreCase))
            {
                http.Response.StatusCode = StatusCodes.Status403Forbidden;
                return;
            }
            http.Response.Headers.AccessControlAllowOrigin = origin;
            http.Response.Headers.Vary = "Origin";
        }

        http.Response.Headers.CacheControl = "no-store";
        // The address's TURN credentials are shared with its sockets' `session` messages (Ice:CredentialsPerMinute).
        if (ice.MintsCredentials && !limits.For(limits.KeyOf(http)).TryMintTurnCredential())
        {
            http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            http.Response.Headers.RetryAfter = "60";
            return;
        }
        http.Response.ContentType = "application/json";
        // A fresh random id: this list belongs to no session yet.
        var list = ice.For(SessionId.New().Value);
        await using var writer = new Utf8JsonWriter(http.Response.Body);
        writer.WriteStartObject();
        list.WriteTo(writer);
        writer.WriteEndObject();
    }
}
