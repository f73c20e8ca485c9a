namespace SocketPeer.Chaos.Client;

/// <summary>What the original client does with one message from the server.</summary>
public enum OriginalReaction
{
    /// <summary>A message type the original client has no handler for: emitted as an event nobody listens to.</summary>
    Ignore,
    /// <summary>Relayed data: handed to the page.</summary>
    Deliver,
    /// <summary><c>peer.found</c>: paired; the page sends from now on.</summary>
    Paired,
    /// <summary><c>busy</c>: an <c>error</c> event, then the client closes its socket (and reconnects after its back-off).</summary>
    CloseAndReconnect,
}

/// <summary>
/// The original client's decisions, without a socket or a clock, so they can be tested on their
/// own: when it believes it is paired, what it does with each message type, and how long it waits
/// before reconnecting. <see cref="OriginalPeer"/> does the I/O around it.
/// </summary>
public sealed class OriginalClientRules
{
    public ReconnectBackOff BackOff { get; } = new();

    /// <summary>Between a <c>peer.found</c> and the socket closing: the page sends while this is true.</summary>
    public bool Paired { get; private set; }

    public void Connecting() => BackOff.Attempting();

    public OriginalReaction OnMessage(string? type)
    {
        switch (type)
        {
            case "data":
                return OriginalReaction.Deliver;
            case "peer.found":
                Paired = true;
                BackOff.Reset();
                return OriginalReaction.Paired;
            case "busy":
                return OriginalReaction.CloseAndReconnect;
            default:
                // peer.left, server.error, session, rtc.*: the original has no handler for them, and
                // in particular peer.left does not stop it sending (it learnt of nothing).
                return OriginalReaction.Ignore;
        }
    }

    /// <summary>The socket closed (reset, close frame, or closed by the client after busy): the wait before the next one.</summary>
    public TimeSpan OnSocketClosed()
    {
        Paired = false;
        return BackOff.DelayBeforeReconnect;
    }
}
