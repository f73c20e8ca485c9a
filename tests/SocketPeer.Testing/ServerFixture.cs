namespace SocketPeer.Testing;

/// <summary>One server with default options, shared by the tests of a class.</summary>
public class ServerFixture : IAsyncLifetime
{
    private SocketPeerServer? _server;

    public SocketPeerServer Server => _server ?? throw new InvalidOperationException("not started");

    protected virtual (string, string)[] Settings => [];

    public async Task InitializeAsync() => _server = await SocketPeerServer.StartAsync(Settings);

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}
