using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace SocketPeer.Gateway.Tests.Hostile;

/// <summary>RFC 6455 opcodes, as written on the wire.</summary>
public static class Opcode
{
    public const byte Continuation = 0x0, Text = 0x1, Binary = 0x2, Close = 0x8, Ping = 0x9, Pong = 0xA;
}

/// <summary>A frame the server sent (server frames are never masked).</summary>
public sealed record ServerFrame(byte Opcode, bool Fin, byte[] Payload)
{
    public string Text => Encoding.UTF8.GetString(Payload);

    /// <summary>A close frame's status code, or null when it has none.</summary>
    public int? CloseCode => Payload.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(Payload) : null;
}

/// <summary>
/// A WebSocket client over a bare <see cref="TcpClient"/> that does the HTTP upgrade by hand and
/// writes hand-built frames, malformed ones included (<c>ClientWebSocket</c> refuses to send those).
/// Reads answer pings unless told not to, so a well-formed client stays well-behaved.
/// </summary>
public sealed class RawWebSocket : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly SemaphoreSlim _writing = new(1, 1);

    private RawWebSocket(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    /// <summary>The session id of the server's first message (set by <see cref="ConnectAsync"/> unless told not to read it).</summary>
    public string SessionId { get; private set; } = "";

    /// <summary>Answer the server's pings with pongs while reading (a live client does).</summary>
    public bool AnswerPings { get; set; } = true;

    /// <summary>Opens a TCP connection to the server's WebSocket endpoint, without any HTTP yet.</summary>
    public static async Task<RawWebSocket> OpenTcpAsync(Uri socketUri)
    {
        var tcp = new TcpClient { NoDelay = true };
        using var cancel = new CancellationTokenSource(Timeout);
        await tcp.ConnectAsync(socketUri.Host, socketUri.Port, cancel.Token);
        return new RawWebSocket(tcp);
    }

    /// <summary>Connects, upgrades, and reads the server's <c>session</c> message.</summary>
    public static async Task<RawWebSocket> ConnectAsync(Uri socketUri, bool readSession = true)
    {
        var socket = await OpenTcpAsync(socketUri);
        await socket.WriteRawAsync(Encoding.ASCII.GetBytes(UpgradeRequest(socketUri)));
        var status = await socket.ReadHttpHeadAsync();
        Assert.StartsWith("HTTP/1.1 101", status);
        if (readSession)
        {
            var session = JsonDocument.Parse((await socket.NextTextAsync()).Payload).RootElement;
            Assert.Equal("session", session.GetProperty("type").GetString());
            socket.SessionId = session.GetProperty("data").GetProperty("id").GetString()!;
        }
        return socket;
    }

    public static string UpgradeRequest(Uri socketUri) =>
        $"GET {socketUri.AbsolutePath} HTTP/1.1\r\nHost: {socketUri.Host}:{socketUri.Port}\r\nUpgrade: websocket\r\n" +
        $"Connection: Upgrade\r\nSec-WebSocket-Key: {Convert.ToBase64String(RandomNumberGenerator.GetBytes(16))}\r\n" +
        "Sec-WebSocket-Version: 13\r\n\r\n";

    public async Task WriteRawAsync(ReadOnlyMemory<byte> bytes)
    {
        using var cancel = new CancellationTokenSource(Timeout);
        await _writing.WaitAsync(cancel.Token);
        try
        {
            await _stream.WriteAsync(bytes, cancel.Token);
        }
        finally
        {
            _writing.Release();
        }
    }

    /// <summary>Writes one frame as given: any opcode, reserved bits, FIN, mask, and declared length.</summary>
    /// <param name="declaredLength">the length the header announces (default: the payload's).</param>
    public Task SendFrameAsync(byte opcode, ReadOnlySpan<byte> payload, bool fin = true, bool masked = true,
        byte reservedBits = 0, long? declaredLength = null) =>
        WriteRawAsync(Frame(opcode, payload, fin, masked, reservedBits, declaredLength));

    public Task SendTextAsync(string text) => SendFrameAsync(Opcode.Text, Encoding.UTF8.GetBytes(text));

    public Task SendJsonAsync(string type, object? data = null) =>
        SendTextAsync(JsonSerializer.Serialize(data is null ? new { type } : (object)new { type, data }));

    public static byte[] Frame(byte opcode, ReadOnlySpan<byte> payload, bool fin = true, bool masked = true,
        byte reservedBits = 0, long? declaredLength = null)
    {
        var length = declaredLength ?? payload.Length;
        var frame = new List<byte> { (byte)((fin ? 0x80 : 0) | (reservedBits & 0x7) << 4 | opcode & 0xF) };
        var maskBit = (byte)(masked ? 0x80 : 0);
        if (length is >= 0 and <= 125) frame.Add((byte)(maskBit | length));
        else if (length is >= 0 and <= ushort.MaxValue)
        {
            frame.Add((byte)(maskBit | 126));
            frame.Add((byte)(length >> 8));
            frame.Add((byte)length);
        }
        else
        {
            frame.Add((byte)(maskBit | 127));
            for (var shift = 56; shift >= 0; shift -= 8) frame.Add((byte)(length >> shift));
        }
        var key = masked ? RandomNumberGenerator.GetBytes(4) : [];
        frame.AddRange(key);
        for (var i = 0; i < payload.Length; i++)
            frame.Add(masked ? (byte)(payload[i] ^ key[i % 4]) : payload[i]);
        return [.. frame];
    }

    public static byte[] ClosePayload(int code, string reason = "")
    {
        var bytes = new byte[2 + Encoding.UTF8.GetByteCount(reason)];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, (ushort)code);
        Encoding.UTF8.GetBytes(reason, bytes.AsSpan(2));
        return bytes;
    }

    /// <summary>The next frame from the server, or null when the connection ended (FIN or reset).</summary>
    public async Task<ServerFrame?> NextFrameAsync(TimeSpan? within = null)
    {
        using var cancel = new CancellationTokenSource(within ?? Timeout);
        try
        {
            var head = new byte[2];
            if (!await ReadExactlyAsync(head, cancel.Token)) return null;
            long length = head[1] & 0x7F;
            if (length == 126)
            {
                var ext = new byte[2];
                if (!await ReadExactlyAsync(ext, cancel.Token)) return null;
                length = BinaryPrimitives.ReadUInt16BigEndian(ext);
            }
            else if (length == 127)
            {
                var ext = new byte[8];
                if (!await ReadExactlyAsync(ext, cancel.Token)) return null;
                length = (long)BinaryPrimitives.ReadUInt64BigEndian(ext);
            }
            Assert.True((head[1] & 0x80) == 0, "a server frame must not be masked");
            var payload = new byte[length];
            if (!await ReadExactlyAsync(payload, cancel.Token)) return null;
            return new ServerFrame((byte)(head[0] & 0xF), (head[0] & 0x80) != 0, payload);
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"the server sent nothing and kept the connection for {within ?? Timeout}");
        }
    }

    /// <summary>The next text message (pings answered on the way, unless <see cref="AnswerPings"/> is off).</summary>
    public async Task<ServerFrame> NextTextAsync()
    {
        while (true)
        {
            var frame = await NextFrameAsync() ?? throw new Xunit.Sdk.XunitException("the connection ended");
            if (frame.Opcode == Opcode.Ping)
            {
                if (AnswerPings) await SendFrameAsync(Opcode.Pong, frame.Payload);
                continue;
            }
            Assert.True(frame.Opcode == Opcode.Text,
                $"expected a text message, got opcode {frame.Opcode} {(frame.Opcode == Opcode.Close ? frame.CloseCode : null)}");
            return frame;
        }
    }

    /// <summary>Asserts the next message is <c>server.error</c> with <paramref name="code"/>.</summary>
    public async Task ExpectErrorAsync(string code)
    {
        var message = JsonDocument.Parse((await NextTextAsync()).Payload).RootElement;
        Assert.Equal("server.error", message.GetProperty("type").GetString());
        Assert.Equal(code, message.GetProperty("data").GetProperty("code").GetString());
    }

    /// <summary>Asserts the next message has <paramref name="type"/>.</summary>
    public async Task ExpectAsync(string type)
    {
        var message = JsonDocument.Parse((await NextTextAsync()).Payload).RootElement;
        Assert.Equal(type, message.GetProperty("type").GetString());
    }

    /// <summary>
    /// Reads until the server ends the connection: returns the close frame's code when one came
    /// (the connection then ends within the server's close timeout), or null when it was reset
    /// or ended without one. Text messages and pings before it are skipped.
    /// </summary>
    public async Task<int?> ClosedAsync(TimeSpan? within = null)
    {
        int? code = null;
        using var deadline = new CancellationTokenSource(within ?? Timeout);
        while (true)
        {
            ServerFrame? frame;
            try
            {
                frame = await NextFrameAsync(within ?? Timeout);
            }
            catch (IOException)
            {
                return code; // reset
            }
            if (frame is null) return code;
            if (frame.Opcode == Opcode.Ping && AnswerPings && code is null)
                await SendFrameAsync(Opcode.Pong, frame.Payload);
            if (frame.Opcode == Opcode.Close && code is null)
            {
                code = frame.CloseCode ?? 1005;
                _tcp.Client.Shutdown(SocketShutdown.Send); // our side is done too
            }
            if (deadline.IsCancellationRequested)
                throw new Xunit.Sdk.XunitException($"the server did not end the connection within {within ?? Timeout}");
        }
    }

    /// <summary>Reads whatever the server sends until it ends the connection (FIN or reset); returns it as ASCII.</summary>
    public async Task<string> ReadToEndAsync(TimeSpan? within = null)
    {
        using var cancel = new CancellationTokenSource(within ?? Timeout);
        var all = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await _stream.ReadAsync(buffer, cancel.Token)) > 0) all.Write(buffer, 0, read);
        }
        catch (IOException)
        {
            // reset
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"the server kept the connection for {within ?? Timeout}");
        }
        return Encoding.ASCII.GetString(all.ToArray());
    }

    /// <summary>Reads the HTTP response head (status line and headers); returns the status line.</summary>
    public async Task<string> ReadHttpHeadAsync()
    {
        using var cancel = new CancellationTokenSource(Timeout);
        var head = new List<byte>();
        var one = new byte[1];
        while (!(head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n'))
        {
            if (!await ReadExactlyAsync(one, cancel.Token)) break;
            head.Add(one[0]);
        }
        var text = Encoding.ASCII.GetString([.. head]);
        return text.Split("\r\n")[0];
    }

    private async Task<bool> ReadExactlyAsync(Memory<byte> buffer, CancellationToken cancel)
    {
        try
        {
            await _stream.ReadExactlyAsync(buffer, cancel);
            return true;
        }
        catch (EndOfStreamException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        await Task.CompletedTask;
    }
}
