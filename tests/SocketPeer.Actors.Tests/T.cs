namespace SocketPeer.Actors.Tests;
public class T { [Fact] public void A() { } }
