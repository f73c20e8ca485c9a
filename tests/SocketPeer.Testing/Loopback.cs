using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;

namespace SocketPeer.Testing;

/// <summary>
/// Clients that look like different machines: on Linux every 127.0.0.x is a loopback address, so a
/// connection bound to 127.0.0.2 reaches a server on 127.0.0.1 from another client address.
/// </summary>
public static class Loopback
{
    /// <summary>An HTTP client whose connections leave from <paramref name="source"/>.</summary>
    public static HttpMessageInvoker From(IPAddress source) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, cancel) =>
        {
            var socket = new Socket(source.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(source, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancel);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    });

    /// <summary>The outcome of one WebSocket upgrade: the socket (open when admitted), its HTTP status and <c>Retry-After</c>.</summary>
    public sealed record Upgrade(ClientWebSocket Socket, HttpStatusCode Status, string? RetryAfter) : IDisposable
    {
        public bool Admitted => Status == HttpStatusCode.SwitchingProtocols;

        public void Dispose() => Socket.Dispose();
    }

    /// <summary>Tries an upgrade to <paramref name="uri"/> (from <paramref name="from"/>, with an <c>X-Forwarded-For</c> when given), without reading.</summary>
    public static async Task<Upgrade> TryUpgradeAsync(Uri uri, HttpMessageInvoker? from = null, string? forwardedFor = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (forwardedFor is not null) socket.Options.SetRequestHeader("X-Forwarded-For", forwardedFor);
        using var cancel = new CancellationTokenSource(TestClient.Timeout);
        try
        {
            await socket.ConnectAsync(uri, from, cancel.Token);
        }
        catch (WebSocketException)
        {
            // Refused before the upgrade: the status says why.
        }
        var retryAfter = socket.HttpResponseHeaders?.TryGetValue("Retry-After", out var values) == true ? values.FirstOrDefault() : null;
        return new Upgrade(socket, socket.HttpStatusCode, retryAfter);
    }
}
