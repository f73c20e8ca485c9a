using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;

namespace SocketPeer.Bench.Client;

/// <summary>
/// One client WebSocket made the cheap way: a raw <see cref="Socket"/>, a hand-written HTTP upgrade and
/// <see cref="WebSocket.CreateFromStream(Stream, WebSocketCreationOptions)"/>. That costs about half the
/// client CPU of <c>ClientWebSocket</c> per connection, which matters when client and server share two
/// cores. Frames are read into one buffer per connection, reused for every message.
/// </summary>
public sealed class WsConnection : IAsyncDisposable
{
    private static readonly TimeSpan UpgradeTimeout = TimeSpan.FromSeconds(15);
    private readonly Socket _socket;
    private readonly WebSocket _ws;
    // A WebSocket allows one send at a time; senders here are a receive loop and a scheduler.
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private byte[] _buffer = new byte[4096];
    private int _length;
    private int _disposed;

    private WsConnection(Socket socket, WebSocket ws)
    {
        _socket = socket;
        _ws = ws;
    }

    /// <summary>The last message read by <see cref="ReceiveAsync"/>; valid until the next call.</summary>
    public ReadOnlySpan<byte> Frame => _buffer.AsSpan(0, _length);

    public WebSocketCloseStatus? CloseStatus => _ws.CloseStatus;

    /// <param name="source">
    /// The local address to connect from (another loopback address, 127.0.0.K), or null for the
    /// system's choice: each source address has its own range of ephemeral ports, so many thousands
    /// of sockets to one server spread over several addresses instead of running one range out.
    /// </param>
    public static async Task<WsConnection> ConnectAsync(IPEndPoint server, string pathAndQuery, CancellationToken cancel,
        IPAddress? source = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (source is not null) socket.Bind(new IPEndPoint(source, 0));
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            timeout.CancelAfter(UpgradeTimeout);
            await socket.ConnectAsync(server, timeout.Token);
            var stream = new NetworkStream(socket, ownsSocket: true);
            var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
            var request = $"GET {pathAndQuery} HTTP/1.1\r\nHost: {server}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                          $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(request), timeout.Token);

            var head = new byte[2048];
            var read = 0;
            int end;
            while ((end = head.AsSpan(0, read).IndexOf("\r\n\r\n"u8)) < 0)
            {
                if (read == head.Length) throw new BenchException("upgrade response head too long");
                var n = await stream.ReadAsync(head.AsMemory(read), timeout.Token);
                if (n == 0) throw new BenchException("server closed during the upgrade");
                read += n;
            }
            // The accept hash is not checked: the server is ours, on loopback, and the check costs CPU.
            if (!head.AsSpan().StartsWith("HTTP/1.1 101"u8))
            {
                var status = Encoding.ASCII.GetString(head, 0, head.AsSpan(0, end).IndexOf("\r\n"u8) is var i and >= 0 ? i : end);
                throw new BenchException($"upgrade refused: {status}");
            }
            var leftover = head.AsSpan(end + 4, read - end - 4).ToArray();
            Stream transport = leftover.Length == 0 ? stream : new PrefixedStream(leftover, stream);
            var ws = WebSocket.CreateFromStream(transport, new WebSocketCreationOptions
            {
                IsServer = false,
                KeepAliveInterval = TimeSpan.Zero, // the runs are short; pings would only add noise
            });
            return new WsConnection(socket, ws);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Reads the next whole message into <see cref="Frame"/>; false when the socket closed.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<bool> ReceiveAsync()
    {
        _length = 0;
        while (true)
        {
            if (_length == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
            var result = await _ws.ReceiveAsync(_buffer.AsMemory(_length), CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close) return false;
            _length += result.Count;
            if (result.EndOfMessage) return true;
        }
    }

    /// <summary>Reads until a message <paramref name="wanted"/> accepts; false on close or timeout.</summary>
    public async Task<bool> ReceiveUntilAsync(Func<WsConnection, bool> wanted, TimeSpan timeout)
    {
        var receive = Loop();
        using var stop = new CancellationTokenSource();
        if (await Task.WhenAny(receive, Task.Delay(timeout, stop.Token)) == receive)
        {
            await stop.CancelAsync();
            return await receive;
        }
        Abort(); // ends the receive loop, which must not outlive this call
        try { await receive; } catch (Exception e) when (IsDisconnect(e)) { }
        return false;

        async Task<bool> Loop()
        {
            while (await ReceiveAsync())
                if (wanted(this)) return true;
            return false;
        }
    }

    /// <summary>What a receive or send throws when the connection is gone.</summary>
    public static bool IsDisconnect(Exception e) =>
        e is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException or SocketException;

    /// <summary>Sends one text message. Waits for an earlier send on this socket to finish first.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask SendAsync(ReadOnlyMemory<byte> message)
    {
        await _sendLock.WaitAsync();
        try
        {
            await _ws.SendAsync(message, WebSocketMessageType.Text, true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>
    /// Sends a message built in place: <paramref name="template"/> is stamped with <paramref name="seq"/>
    /// and <paramref name="stamp"/> under the send lock, so a template buffer shared by one flow can be
    /// rewritten for each message without a copy.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask SendFilledAsync(MessageTemplate template, long seq, long stamp)
    {
        await _sendLock.WaitAsync();
        try
        {
            template.Fill(seq, stamp);
            await _ws.SendAsync(template.Bytes, WebSocketMessageType.Text, true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Drops the connection without a closing handshake (the end of a run; the server copes).</summary>
    public void Abort()
    {
        _ws.Abort();
        _socket.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return ValueTask.CompletedTask;
        Abort();
        _ws.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>A benchmark step that cannot go on (a refused upgrade, a server that never got ready).</summary>
public sealed class BenchException(string message) : Exception(message);
