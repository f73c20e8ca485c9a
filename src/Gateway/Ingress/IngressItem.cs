using SocketPeer.Actors.Sessions;

namespace SocketPeer.Gateway.Ingress;

/// <summary>
/// One element of a lane: a message for a socket's session, or the socket's last word
/// (<see cref="ConnectionClosed"/>), which goes through the lane too so it cannot overtake the
/// messages still queued before it.
/// </summary>
public readonly record struct IngressItem(ConnectionIngress Connection, IWithSessionId Message, bool IsLast);
