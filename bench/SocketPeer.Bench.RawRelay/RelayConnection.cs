using System.Buffers;
using System.Net.WebSockets;

namespace SocketPeer.Bench.RawRelay;

/// <summary>
/// One socket of the floor relay: a receive loop that forwards each relayed frame unchanged to the
/// partner's socket and awaits that send (TCP backpressure instead of a queue). It does the least
/// any correct server of this protocol must do per frame: read it, validate it as JSON, find its type.
/// </summary>
public sealed class RelayConnection(WebSocket socket, RelayRooms rooms)
{
    private const int MaxFrameBytes = 64 * 1024;
    private static readonly byte[] PeerFoundInitiator = """{"type":"peer.found","data":{"initiator":true}}"""u8.ToArray();
    private static readonly byte[] PeerFoundWaiter = """{"type":"peer.found","data":{"initiator":false}}"""u8.ToArray();
    private static readonly byte[] Busy = """{"type":"busy"}"""u8.ToArray();
    private static readonly byte[] PeerLeft = """{"type":"peer.left"}"""u8.ToArray();
    private static readonly byte[] NotPaired = """{"type":"server.error","data":{"code":"not-paired","message":"no partner yet"}}"""u8.ToArray();
    private static readonly byte[] BadMessage = """{"type":"server.error","data":{"code":"bad-message","message":"not a message"}}"""u8.ToArray();

    // One send at a time per WebSocket; the partner's receive loop sends here too.
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private volatile RelayConnection? _partner;
    private string? _code;

    public async Task RunAsync()
    {
        try
        {
            await SendAsync(System.Text.Encoding.UTF8.GetBytes(
                "{\"type\":\"session\",\"data\":{\"id\":\"" + Guid.NewGuid().ToString("N") + "\"}}"));
            while (true)
            {
                // A zero-byte read first, as the gateway does, so an idle socket holds no buffer.
                var peek = await socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None);
                if (peek.MessageType == WebSocketMessageType.Close) break;
                var buffer = ArrayPool<byte>.Shared.Rent(4096);
                try
                {
                    var length = 0;
                    var end = peek.EndOfMessage;
                    while (!end)
                    {
                        if (length == buffer.Length)
                        {
                            if (length >= MaxFrameBytes) return;
                            var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                            buffer.AsSpan(0, length).CopyTo(bigger);
                            ArrayPool<byte>.Shared.Return(buffer);
                            buffer = bigger;
                        }
                        var read = await socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                        if (read.MessageType == WebSocketMessageType.Close) return;
                        length += read.Count;
                        end = read.EndOfMessage;
                    }
                    await HandleAsync(buffer.AsMemory(0, length));
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException)
        {
            // The client went away.
        }
        finally
        {
            await LeaveAsync();
        }
    }

    private async Task HandleAsync(ReadOnlyMemory<byte> frame)
    {
        var type = Envelope.Read(frame.Span, out var pairCode);
        switch (type)
        {
            case EnvelopeType.Relay:
                var partner = _partner;
                await (partner is null ? SendAsync(NotPaired) : partner.SendAsync(frame));
                break;
            case EnvelopeType.Pair when pairCode is not null:
                await PairAsync(pairCode);
                break;
            case EnvelopeType.Leave:
                await LeaveAsync();
                break;
            default:
                await SendAsync(BadMessage);
                break;
        }
    }

    private async Task PairAsync(string code)
    {
        if (code == _code) return;
        await LeaveAsync();
        _code = code;
        switch (rooms.Join(code, this, out var partner))
        {
            case JoinOutcome.Paired:
                _partner = partner;
                partner!._partner = this;
                await partner.SendAsync(PeerFoundWaiter);
                await SendAsync(PeerFoundInitiator);
                break;
            case JoinOutcome.Busy:
                _code = null;
                await SendAsync(Busy);
                break;
        }
    }

    private async Task LeaveAsync()
    {
        if (_code is null) return;
        var stays = rooms.Leave(_code, this);
        _code = null;
        _partner = null;
        if (stays is null) return;
        stays._partner = null;
        try
        {
            await stays.SendAsync(PeerLeft);
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException)
        {
            // The one who stayed is going too.
        }
    }

    private async Task SendAsync(ReadOnlyMemory<byte> frame)
    {
        await _sendLock.WaitAsync();
        try
        {
            await socket.SendAsync(frame, WebSocketMessageType.Text, true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
    }
}
