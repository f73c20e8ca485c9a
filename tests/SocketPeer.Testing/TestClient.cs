using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace SocketPeer.Testing;

/// <summary>
/// A real <see cref="ClientWebSocket"/> with a receive loop that queues every message, so a test
/// can wait for the next one with a timeout, and see how the server closed the socket.
/// </summary>
public sealed class TestClient : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private readonly ClientWebSocket _socket;
    private readonly Channel<Received> _inbox = Channel.CreateUnbounded<Received>();
    private readonly TaskCompletionSource<WebSocketCloseStatus?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _receiving;

    private TestClient(ClientWebSocket socket, bool receive)
    {
        _socket = socket;
        _receiving = receive ? Task.Run(ReceiveLoopAsync) : Task.CompletedTask;
    }

    /// <summary>The session id the server announced on connect.</summary>
    public string SessionId { get; private set; } = "";

    /// <summary>The whole <c>session</c> message the server sent on connect.</summary>
    public JsonElement SessionMessage { get; private set; }

    public WebSocket Socket => _socket;

    /// <summary>The code this client paired with, when a helper paired it.</summary>
    public string? PairCode { get; set; }

    /// <param name="receive">false makes a client that never reads: a stuck consumer.</param>
    /// <param name="from">the HTTP client to connect through (<see cref="Loopback.From"/>: another source address).</param>
    public static async Task<TestClient> ConnectAsync(Uri uri, string? origin = null, bool receive = true,
        HttpMessageInvoker? from = null)
    {
        var socket = new ClientWebSocket();
        if (origin is not null) socket.Options.SetRequestHeader("Origin", origin);
        using var cancel = new CancellationTokenSource(Timeout);
        try
        {
            await socket.ConnectAsync(uri, from, cancel.Token);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return await AttachAsync(socket, receive);
    }

    /// <summary>A client around a socket already connected (<see cref="Loopback.TryUpgradeAsync"/>), its <c>session</c> read.</summary>
    public static async Task<TestClient> AttachAsync(ClientWebSocket socket, bool receive = true)
    {
        var client = new TestClient(socket, receive);
        if (receive)
        {
            var session = await client.ExpectAsync("session");
            client.SessionMessage = session;
            client.SessionId = session.GetProperty("data").GetProperty("id").GetString()!;
        }
        return client;
    }

    public Task SendAsync(string type, object? data = null) =>
        SendTextAsync(JsonSerializer.Serialize(data is null ? new { type } : (object)new { type, data }));

    public Task PairAsync(string code) => SendAsync("pair", code);

    public Task SendTextAsync(string text) => SendBytesAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text);

    public async Task SendBytesAsync(byte[] bytes, WebSocketMessageType type)
    {
        using var cancel = new CancellationTokenSource(Timeout);
        await _socket.SendAsync(bytes, type, true, cancel.Token);
    }

    /// <summary>The next message, whatever its type.</summary>
    public async Task<JsonElement> NextAsync()
    {
        using var cancel = new CancellationTokenSource(Timeout);
        try
        {
            var received = await _inbox.Reader.ReadAsync(cancel.Token);
            return received.Message ?? throw new Xunit.Sdk.XunitException(
                $"expected a message, but the socket closed ({_socket.CloseStatus} {_socket.CloseStatusDescription})");
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"no message within {Timeout}");
        }
    }

    /// <summary>The next message's raw text (to check bytes relayed unchanged).</summary>
    public async Task<string> NextRawAsync() => (await NextAsync()).GetRawText();

    /// <summary>Asserts the next message has <paramref name="type"/> and returns it.</summary>
    public async Task<JsonElement> ExpectAsync(string type)
    {
        var message = await NextAsync();
        Assert.Equal(type, message.GetProperty("type").GetString());
        return message;
    }

    /// <summary>Asserts the next message is <c>server.error</c> with <paramref name="code"/>.</summary>
    public async Task<JsonElement> ExpectErrorAsync(string code)
    {
        var message = await ExpectAsync("server.error");
        Assert.Equal(code, message.GetProperty("data").GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(message.GetProperty("data").GetProperty("message").GetString()));
        return message;
    }

    /// <summary>
    /// Asserts nothing is queued for this client: sends a message the server always answers with
    /// <c>unknown-type</c> and checks that answer is the next thing to arrive.
    /// </summary>
    public async Task ExpectNothingPendingAsync()
    {
        await SendAsync("probe.nothing-pending");
        await ExpectErrorAsync("unknown-type");
    }

    /// <summary>Waits for the server to close the socket and returns its close code.</summary>
    public async Task<WebSocketCloseStatus?> ClosedAsync()
    {
        try
        {
            return await _closed.Task.WaitAsync(Timeout);
        }
        catch (TimeoutException)
        {
            throw new Xunit.Sdk.XunitException($"the server did not close the socket within {Timeout}");
        }
    }

    /// <summary>Resets the TCP connection without a close frame.</summary>
    public void Abort() => _socket.Abort();

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (_socket.State == WebSocketState.CloseReceived)
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                    _closed.TrySetResult(result.CloseStatus);
                    break;
                }
                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage) continue;
                var json = JsonDocument.Parse(message.ToArray()).RootElement.Clone();
                message.SetLength(0);
                await _inbox.Writer.WriteAsync(new Received(json));
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            _closed.TrySetResult(null);
        }
        finally
        {
            await _inbox.Writer.WriteAsync(new Received(null));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", cancel.Token);
                await _receiving.WaitAsync(cancel.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or TimeoutException) { }
        }
        _socket.Dispose();
    }

    private sealed record Received(JsonElement? Message);
}
