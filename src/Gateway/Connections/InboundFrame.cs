using System.Buffers;

namespace SocketPeer.Gateway.Connections;

/// <summary>One whole WebSocket message as read, in a pooled buffer the consumer must return.</summary>
public readonly record struct InboundFrame(InboundFrameKind Kind, byte[]? Buffer, int Length)
{
    public ReadOnlySpan<byte> Span => Buffer.AsSpan(0, Length);

    public void Release()
    {
        if (Buffer is not null) ArrayPool<byte>.Shared.Return(Buffer);
    }
}

public enum InboundFrameKind
{
    Text,
    Binary,
    /// <summary>Longer than MaxFrameBytes; reading stopped part-way.</summary>
    TooLarge,
    /// <summary>Its frames did not complete within MessageTimeout; its read is still pending.</summary>
    Stalled,
    /// <summary>More empty fragments than EmptyFramesPerMessage.</summary>
    TooManyEmptyFrames,
}
