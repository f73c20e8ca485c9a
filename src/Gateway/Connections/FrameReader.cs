using System.Buffers;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;

namespace SocketPeer.Gateway.Connections;

/// <summary>What one inbound message may cost: its size, its time, its empty fragments.</summary>
/// <param name="MaxBytes">largest message (<c>MaxFrameBytes</c>).</param>
/// <param name="MessageTimeout">from the first frame's header to the last frame (<c>MessageTimeout</c>).</param>
/// <param name="EmptyFrames">empty fragments one message may have (<c>EmptyFramesPerMessage</c>).</param>
public sealed record FrameLimits(int MaxBytes, TimeSpan MessageTimeout, int EmptyFrames)
{
    public static FrameLimits SizeOnly(int maxBytes) => new(maxBytes, Timeout.InfiniteTimeSpan, int.MaxValue);
}

/// <summary>Reads whole messages off a WebSocket, bounded by a maximum size, a deadline and a fragment budget.</summary>
public static class FrameReader
{
    private const int FirstBufferBytes = 4096;

    public static IAsyncEnumerable<InboundFrame> ReadAsync(WebSocket socket, int maxBytes, CancellationToken cancel = default) =>
        ReadAsync(socket, FrameLimits.SizeOnly(maxBytes), cancel);

    /// <summary>
    /// Yields each message until the client's close frame. Waits with a zero-byte read, so an idle
    /// connection holds no receive buffer (docs/architecture.md section 7). Stops
    /// after a <see cref="InboundFrameKind.TooLarge"/>, <see cref="InboundFrameKind.Stalled"/> or
    /// <see cref="InboundFrameKind.TooManyEmptyFrames"/> frame, leaving the rest of it unread.
    /// </summary>
    /// <remarks>
    /// A stalled message's read is left pending (cancelling a WebSocket read aborts the socket, and
    /// the close frame that says why must still go out); its buffer is then left to the collector,
    /// since that read may still write into it.
    /// </remarks>
    public static async IAsyncEnumerable<InboundFrame> ReadAsync(WebSocket socket, FrameLimits limits,
        [EnumeratorCancellation] CancellationToken cancel = default)
    {
        var maxBytes = limits.MaxBytes;
        while (true)
        {
            var peek = await socket.ReceiveAsync(Memory<byte>.Empty, cancel);
            if (peek.MessageType == WebSocketMessageType.Close)
                yield break;

            // The message has begun: from here on it has MessageTimeout to end.
            var started = Stopwatch.GetTimestamp();
            var kind = peek.MessageType == WebSocketMessageType.Binary ? InboundFrameKind.Binary : InboundFrameKind.Text;
            // One byte more than allowed tells "exactly the limit" from "over it".
            var limit = maxBytes + 1;
            var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(FirstBufferBytes, limit));
            var length = 0;
            var empties = 0;
            var end = peek.EndOfMessage;
            InboundFrameKind? refused = null;
            var abandoned = false;
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
                    var receiving = socket.ReceiveAsync(buffer.AsMemory(length, room), cancel);
                    ValueWebSocketReceiveResult read;
                    if (receiving.IsCompleted)
                    {
                        read = receiving.Result;
                    }
                    else
                    {
                        var pending = receiving.AsTask();
                        try
                        {
                            read = await pending.WaitAsync(Left(started, limits.MessageTimeout), cancel);
                        }
                        catch (Exception e) when (e is TimeoutException or OperationCanceledException && !pending.IsCompleted)
                        {
                            _ = pending.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
                            abandoned = true; // the pending read may still write into it: not back to the pool
                            if (e is OperationCanceledException) throw;
                            refused = InboundFrameKind.Stalled;
                            break;
                        }
                    }
                    if (read.MessageType == WebSocketMessageType.Close)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        yield break;
                    }
                    if (read.Count == 0 && !read.EndOfMessage && ++empties > limits.EmptyFrames)
                    {
                        refused = InboundFrameKind.TooManyEmptyFrames;
                        break;
                    }
                    length += read.Count;
                    end = read.EndOfMessage;
                }
            }
            catch
            {
                if (!abandoned) ArrayPool<byte>.Shared.Return(buffer);
                throw;
            }

            if (refused is null && length > maxBytes) refused = InboundFrameKind.TooLarge;
            if (refused is { } why)
            {
                if (!abandoned) ArrayPool<byte>.Shared.Return(buffer);
                yield return new InboundFrame(why, null, 0);
                yield break;
            }
            yield return new InboundFrame(kind, buffer, length);
        }
    }

    private static TimeSpan Left(long started, TimeSpan timeout)
    {
        if (timeout == Timeout.InfiniteTimeSpan) return timeout;
        var left = timeout - Stopwatch.GetElapsedTime(started);
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }
}
