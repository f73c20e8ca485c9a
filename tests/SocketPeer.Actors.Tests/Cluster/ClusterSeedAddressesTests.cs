using SocketPeer.Actors.Cluster;

namespace SocketPeer.Actors.Tests.Cluster;

/// <summary>A node reaches its seeds in the scheme its transport speaks, whichever scheme the configuration wrote.</summary>
public sealed class ClusterSeedAddressesTests
{
    [Theory]
    [InlineData(false, "akka.tcp://socketpeer@node-0:4053", "akka.tcp://socketpeer@node-0:4053")]
    [InlineData(false, "akka.ssl.tcp://socketpeer@node-0:4053", "akka.tcp://socketpeer@node-0:4053")]
    [InlineData(true, "akka.tcp://socketpeer@node-0:4053", "akka.ssl.tcp://socketpeer@node-0:4053")]
    [InlineData(true, "akka.ssl.tcp://socketpeer@node-0:4053", "akka.ssl.tcp://socketpeer@node-0:4053")]
    public void Seeds_take_the_scheme_of_the_node(bool tls, string configured, string reached)
    {
        var cluster = new ClusterSettings { SeedNodes = [configured], Tls = new ClusterTlsSettings { Enabled = tls } };

        Assert.Equal([reached], cluster.SeedAddresses());
        Assert.Equal(tls ? ClusterSettings.TlsProtocol : ClusterSettings.PlainProtocol, cluster.Protocol);
    }

    [Fact]
    public void TLS_is_off_unless_enabled()
    {
        // dotnet run needs no certificate.
        Assert.False(new ClusterSettings().Tls.Enabled);
        Assert.Empty(new ClusterSettings().Tls.Problems());
    }
}
