namespace SocketPeer.Actors.Tests;
public class T : Akka.Hosting.TestKit.TestKit
{
    protected override void ConfigureAkka(Akka.Hosting.AkkaConfigurationBuilder builder, IServiceProvider provider) { }
    [Fact] public void A() { Assert.True(true); }
}
