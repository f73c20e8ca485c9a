namespace SocketPeer.Gateway.Protocol;

/// <summary>
/// WebSocket close codes the server sends, each with a reason string; documented in docs/protocol.md.
/// </summary>
public static class CloseCodes
{
    /// <summary>The client closed, or left cleanly.</summary>
    public const int Normal = 1000;
    /// <summary>A text frame that is not valid UTF-8 (sent by the WebSocket layer itself).</summary>
    public const int InvalidPayload = 1007;
    /// <summary>
    /// The client kept flooding past the rate limit after <c>rate-limited</c>; or a message did not
    /// complete within <c>MessageTimeout</c>, or had more than <c>EmptyFramesPerMessage</c> empty fragments.
    /// </summary>
    public const int PolicyViolation = 1008;
    /// <summary>A message over <c>MaxFrameBytes</c>.</summary>
    public const int TooLarge = 1009;
    /// <summary>Something failed in the server; reconnect.</summary>
    public const int InternalError = 1011;
    /// <summary>This node is shutting down (rolling update); reconnect.</summary>
    public const int ServiceRestart = 1012;
    /// <summary>The client did not read what was sent to it fast enough (<c>OutboundQueueLength</c>).</summary>
    public const int SlowConsumer = 4000;
    /// <summary>The session this socket served was resumed on another socket.</summary>
    public const int SessionResumed = 4001;
    /// <summary>In no room and silent for <c>IdleTimeout</c>.</summary>
    public const int Idle = 4002;
}
