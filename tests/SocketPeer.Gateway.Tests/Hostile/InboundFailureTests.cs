using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SocketPeer.Gateway.Protocol;
using SocketPeer.Testing;

namespace SocketPeer.Gateway.Tests.Hostile;

/// <summary>A server whose pair-code validator fails on one code: a bug on the inbound side, on demand.</summary>
public sealed class FailingValidatorFixture : IAsyncLifetime
{
    public const string FailingCode = "make-the-server-fail";

    private SocketPeerServer? _server;

    public SocketPeerServer Server => _server ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => _server = await SocketPeerServer.StartAsync(
        builder => builder.Services.Replace(ServiceDescriptor.Singleton<IPairCodeValidator, FailingValidator>()),
        ("SocketPeer:CloseTimeout", "00:00:01"));

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }

    private sealed class FailingValidator : IPairCodeValidator
    {
        public string? Validate(string code) =>
            code == FailingCode ? throw new NullReferenceException("a bug in a validator") : null;
    }
}

/// <summary>An unexpected failure while handling what a client sent is answered (1011), never a hung socket.</summary>
public sealed class InboundFailureTests(FailingValidatorFixture fixture) : IClassFixture<FailingValidatorFixture>
{
    [Fact]
    public async Task A_failure_in_the_inbound_side_closes_1011_and_releases_the_socket()
    {
        var server = fixture.Server;
        var (a, b) = await Pairs.OpenAsync(server);
        await using var _ = a;
        await using var __ = b;
        await using var client = await RawWebSocket.ConnectAsync(server.Socket);

        await client.SendJsonAsync("pair", FailingValidatorFixture.FailingCode);

        Assert.Equal(1011, await client.ClosedAsync());
        await Offender.AssertReleasedAsync(server, client.SessionId, othersOpen: 2);
        await Pairs.AssertRelaysAsync(a, b);
    }
}
