using System.Buffers;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;

namespace SocketPeer.Gateway.Connections;

/// <summary>Reads whole messages off a WebSocket, bounded by a maximum size.</summary>
public static class FrameReader
{
    private const int FirstBufferBytes = 4096;

    /// <summary>
    /// Yields each message until the client's close frame. Waits with a zero-byte read, so an idle
    /// connection holds no receive buffer (docs/design.md section 7: 17.5 → 13.1 KB per socket). Stops
    /// after a <see cref="InboundFrameKind.TooLarge"/> frame, leaving the rest of it unread.
    /// </summary>
    public static async IAsyncEnumerable<InboundFrame> ReadAsync(WebSocket socket, int maxBytes,
        [EnumeratorCancellation] CancellationToken cancel = default)
    {
        while (true)
        {
            var peek = await socket.ReceiveAsync(Memory<byte>.Empty, cancel);
            if (peek.MessageType == WebSocketMessageType.Close)
                yield break;

            var kind = peek.MessageType == WebSocketMessageType.Binary ? InboundFrameKind.Binary : InboundFrameKind.Text;
            // One byte more than allowed tells "exactly the limit" from "over it".
            var limit = maxBytes + 1;
            var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(FirstBufferBytes, limit));
            var length = 0;
            var end = peek.EndOfMessage;
            try
            {
                while (!end)
                {
                    var room = Math.Min(buffer.Length, limit) - length;
                    if (room == 0)
                    {
                        if (length >= limit) break;
                        var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, limit));
                        buffer.AsSpan(0, length).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                        continue;
                    }
                    var read = await socket.ReceiveAsync(buffer.AsMemory(length, room), cancel);
                    if (read.MessageType == WebSocketMessageType.Close)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        yield break;
                    }
                    length += read.Count;
                    end = read.EndOfMessage;
                }
            }
            catch
            {
                ArrayPool<byte>.Shared.Return(buffer);
                throw;
            }

            if (length > maxBytes)
            {
                ArrayPool<byte>.Shared.Return(buffer);
                yield return new InboundFrame(InboundFrameKind.TooLarge, null, 0);
                yield break;
            }
            yield return new InboundFrame(kind, buffer, length);
        }
    }
}
