using SocketPeer.Actors.Sessions;
using SocketPeer.Gateway.Ice;
using SocketPeer.Gateway.Limits;

namespace SocketPeer.Gateway.Protocol;

/// <summary>
/// Encodes what a session tells its client, adding what only the gateway knows: the signed resume
/// token of the claims a session issued (<see cref="ResumeTokens"/>), and the ICE servers and a fresh
/// TURN credential (at a bounded rate per client address) that go with every <c>session</c> message.
/// </summary>
public sealed class ClientFrameEncoder(IceServerProvider ice, ResumeTokens tokens)
{
    /// <summary>Encodes <paramref name="message"/> (a session's <see cref="IClientMessage"/> or the gateway's own <see cref="ServerErrorNotice"/>); dispose the frame to return its buffer.</summary>
    /// <param name="budget">the client address's limits: a TURN credential is minted only while it allows (null: always).</param>
    public EncodedFrame Encode(object message, ClientBudget? budget = null) => message switch
    {
        SessionStarted started => WireEncoder.Session(started, started.Token is { } claims ? tokens.Issue(claims) : null,
            ice.For(started.Id.Value, budget)),
        TokenNotice fresh => WireEncoder.Token(tokens.Issue(fresh.Claims)),
        _ => WireEncoder.Encode(message),
    };
}
