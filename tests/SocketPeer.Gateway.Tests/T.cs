namespace SocketPeer.Gateway.Tests;
public class T { [Fact] public void A() { } }
