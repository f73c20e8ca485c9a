namespace SocketPeer.Actors;

/// <summary>
/// Marks every message that may cross nodes; all of them are bound to
/// <see cref="Serialization.SocketPeerSerializer"/>.
/// </summary>
public interface ISocketPeerMessage;
