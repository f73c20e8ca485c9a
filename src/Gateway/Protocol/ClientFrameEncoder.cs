using SocketPeer.Actors.Sessions;
using SocketPeer.Gateway.Ice;

namespace SocketPeer.Gateway.Protocol;

/// <summary>
/// Encodes what a session tells its client, adding what only the gateway knows: the ICE servers, and
/// a fresh TURN credential, that go with every <c>session</c> message.
/// </summary>
public sealed class ClientFrameEncoder(IceServerProvider ice)
{
    /// <summary>Encodes <paramref name="message"/> (a session's <see cref="IClientMessage"/> or the gateway's own <see cref="ServerErrorNotice"/>); dispose the frame to return its buffer.</summary>
    public EncodedFrame Encode(object message) =>
        message is SessionStarted started ? WireEncoder.Session(started, ice.For(started.Id.Value)) : WireEncoder.Encode(message);
}
