using SocketPeer.Actors.Sessions;

namespace SocketPeer.Gateway.Protocol;

/// <summary>What the gateway does with one inbound frame.</summary>
public abstract record InboundDecision
{
    /// <summary>Hand it to the session.</summary>
    public sealed record Forward(IWithSessionId Message) : InboundDecision
    {
        /// <summary>A <c>pair</c>'s join token (its <c>token</c> field), when it carried one.</summary>
        public string? JoinToken { get; init; }
    }

    /// <summary>Refuse it: tell the client, keep the connection.</summary>
    public sealed record Refuse(ServerErrorNotice Notice) : InboundDecision;

    /// <summary>Close the connection with this code.</summary>
    public sealed record Close(int Code, string Reason) : InboundDecision;

    /// <summary>
    /// The client asks to take back an earlier session. Only a socket's first message may do that;
    /// the connection handles it (see docs/protocol.md, Resume).
    /// </summary>
    public sealed record Resume(string Token, long Seq) : InboundDecision;

    /// <summary>Drop it silently (already answered, e.g. inside a rate-limited burst).</summary>
    public sealed record Ignore : InboundDecision
    {
        public static readonly Ignore Instance = new();
        private Ignore() { }
    }

    public static Refuse Error(string code, string message) => new(new ServerErrorNotice(code, message));
}
