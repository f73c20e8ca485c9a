using System.Diagnostics;
using SocketPeer.Actors.Diagnostics;
using SocketPeer.Actors.Sessions;
using SocketPeer.Gateway.JoinTokens;
using SocketPeer.Gateway.Limits;
using SocketPeer.Gateway.Protocol;
using static SocketPeer.Gateway.Protocol.ServerErrorCodes;

namespace SocketPeer.Gateway.Connections;

/// <summary>
/// Everything a frame passes before it reaches the session, in order: size, rate, then
/// decode and validate, then (a <c>pair</c>) its address's pair limit and, when the server requires
/// them, its join token. The rate is checked before decoding, so a flood of garbage costs as little
/// as possible and cannot be used to make the server write errors without bound; the pair limit is
/// checked before the token, so signature checks are bounded per address too.
/// </summary>
/// <param name="session">which session the decoded messages are for (it changes on a resume).</param>
public sealed class InboundGate(ConnectionSession session, WireDecoder decoder, MessageRateLimit rate)
{
    /// <summary>Told of every message the client sends (the idle timeout), when set.</summary>
    public IdleWatch? Idle { get; init; }

    /// <summary>The client address's limits: a <c>pair</c> past them is refused with <c>pair-limited</c>, when set.</summary>
    public ClientBudget? Budget { get; init; }

    /// <summary>Checks each <c>pair</c>'s join token, when set (the server requires them).</summary>
    public JoinTokenCheck? JoinTokens { get; init; }

    /// <summary>The socket URL's <c>?token=</c>: the join token of a <c>pair</c> that carries none (clients that cannot add a field).</summary>
    public string? UrlJoinToken { get; init; }

    /// <summary><see cref="Admit"/>, then a <c>pair</c>'s join token when the server requires them.</summary>
    public ValueTask<InboundDecision> AdmitAsync(InboundFrame frame)
    {
        var decision = Admit(frame);
        if (JoinTokens is null) return ValueTask.FromResult(decision);
        return decision is InboundDecision.Forward { Message: ClientPair pair } forward
            ? CheckJoinTokenAsync(JoinTokens, pair, forward.JoinToken ?? UrlJoinToken, forward)
            : ValueTask.FromResult(decision);
    }

    private static async ValueTask<InboundDecision> CheckJoinTokenAsync(JoinTokenCheck check, ClientPair pair, string? token,
        InboundDecision.Forward admitted) =>
        await check.CheckAsync(pair.Code, token) is { } refusal ? new InboundDecision.Refuse(refusal) : admitted;

    /// <summary>
    /// A <c>pair</c> past the pair limit is a span under the socket's, and carries it to the session:
    /// the pairing's trace links to it. An untraced socket's goes as it is.
    /// </summary>
    private InboundDecision Traced(InboundDecision.Forward admitted, ClientPair pair)
    {
        if (session.Trace is not { } socket) return admitted;
        using var span = SocketPeerTracing.StartChild(SocketPeerTracing.Pair, ActivityKind.Internal, socket.Node, socket.Span);
        if (TraceContext.Of(span) is not { } trace) return admitted;
        span!.SetTag(SocketPeerTracing.SessionTag, pair.Session.Value);
        return admitted with { Message = pair with { Trace = trace } };
    }

    public InboundDecision Admit(InboundFrame frame)
    {
        var decision = AdmitUnwatched(frame);
        // One type test per frame, as ever: a relayed message passes it and nothing else here.
        if (decision is InboundDecision.Forward { Message: ClientPair pair } forward)
            decision = Budget?.TryPair() == false
                ? InboundDecision.Error(PairLimited, "pair: too many pair attempts or busy answers from this address; wait, then pair again")
                : Traced(forward, pair);
        Idle?.Received(decision);
        return decision;
    }

    private InboundDecision AdmitUnwatched(InboundFrame frame)
    {
        try
        {
            switch (frame.Kind)
            {
                case InboundFrameKind.TooLarge:
                    return new InboundDecision.Close(CloseCodes.TooLarge, "too-large");
                case InboundFrameKind.Stalled:
                    return new InboundDecision.Close(CloseCodes.PolicyViolation, "message-timeout");
                case InboundFrameKind.TooManyEmptyFrames:
                    return new InboundDecision.Close(CloseCodes.PolicyViolation, "too-many-empty-frames");
            }

            switch (rate.Take())
            {
                case RateVerdict.DropAndWarn:
                    return InboundDecision.Error(RateLimited, "too many messages; this one and the next ones over the limit are dropped");
                case RateVerdict.Drop:
                    return InboundDecision.Ignore.Instance;
                case RateVerdict.Disconnect:
                    return new InboundDecision.Close(CloseCodes.PolicyViolation, RateLimited);
            }

            return frame.Kind == InboundFrameKind.Binary
                ? InboundDecision.Error(BinaryNotSupported, "binary frames are not part of the protocol; send JSON text")
                : decoder.Decode(frame.Span, session.Serving);
        }
        finally
        {
            frame.Release();
        }
    }
}
