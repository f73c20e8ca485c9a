using SocketPeer.Bench.RawRelay;

// The benchmark's floor: what a WebSocket relay of the same protocol costs on Kestrel with no actors,
// no streams and no limits. Same path and JSON as SocketPeer, so one client drives both.
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddSingleton<RelayRooms>();
var app = builder.Build();
// Pings at SocketPeer's default keep-alive interval (SocketPeer:KeepAliveInterval, 30 s; Kestrel's own is
// 2 minutes), so idle sockets cost both servers the same pings (the idle scenario's CPU window). Without
// a KeepAliveTimeout (`--server-env KeepAliveTimeout=00:00:20`, SocketPeer's default) they are
// unsolicited pongs that expect no answer.
app.UseWebSockets(new WebSocketOptions
{
    KeepAliveInterval = builder.Configuration.GetValue("KeepAliveInterval", TimeSpan.FromSeconds(30)),
    KeepAliveTimeout = builder.Configuration.GetValue("KeepAliveTimeout", Timeout.InfiniteTimeSpan),
});
app.MapGet("/ready", () => "ready\n");
app.MapGet("/socketpeer", async (HttpContext http, RelayRooms rooms) =>
{
    if (!http.WebSockets.IsWebSocketRequest)
    {
        http.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
        return;
    }
    using var socket = await http.WebSockets.AcceptWebSocketAsync();
    await new RelayConnection(socket, rooms).RunAsync();
});
app.Run();
