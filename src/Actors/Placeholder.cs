namespace SocketPeer.Actors;
internal static class Placeholder { }
