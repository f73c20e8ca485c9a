using System.Diagnostics;
using Akka.Actor;
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

    /// <summary>The node, for the <c>socketpeer.pair</c> span of an admitted <c>pair</c> (docs/operations.md, "Tracing"); none: no span.</summary>
    public ActorSystem? Node { get; init; }

    /// <summary><see cref="Admit"/>, then a <c>pair</c>'s join token when the server requires them.</summary>
    public ValueTask<InboundDecision> AdmitAsync(InboundFrame frame)
    {
        var decision = Admit(frame);
        if (decision is not InboundDecision.Forward { Message: ClientPair pair } forward) return ValueTask.FromResult(decision);
        return JoinTokens is not null
            ? CheckJoinTokenAsync(JoinTokens, pair, forward.JoinToken ?? UrlJoinToken, forward)
            : ValueTask.FromResult(Traced(forward, pair));
    }

    private async ValueTask<InboundDecision> CheckJoinTokenAsync(JoinTokenCheck check, ClientPair pair, string? token,
        InboundDecision.Forward admitted) =>
        await check.CheckAsync(pair.Code, token) is { } refusal ? new InboundDecision.Refuse(refusal) : Traced(admitted, pair);

    /// <summary>
    /// An admitted <c>pair</c> is a span under the socket's, and carries it to the session: the
    /// pairing's trace links to it. Without a listener, the message goes as it is.
    /// </summary>
    private InboundDecision Traced(InboundDecision.Forward admitted, ClientPair pair)
    {
        if (Node is null) return admitted;
        using var span = SocketPeerTracing.StartChild(SocketPeerTracing.Pair, ActivityKind.Internal, Node, session.Trace);
        if (TraceContext.Of(span) is not { } trace) return admitted;
        span!.SetTag(SocketPeerTracing.SessionTag, pair.Session.Value);
        return admitted with { Message = pair with { Trace = trace } };
    }

    public InboundDecision Admit(InboundFrame frame)
    {
        var decision = AdmitUnwatched(frame);
        if (decision is InboundDecision.Forward { Message: ClientPair } && Budget?.TryPair() == false)
            decision = InboundDecision.Error(PairLimited, "pair: too many pair attempts or busy answers from this address; wait, then pair again");
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
