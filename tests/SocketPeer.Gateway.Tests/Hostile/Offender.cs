using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using SocketPeer.Actors.Sessions;
using SocketPeer.Testing;

namespace SocketPeer.Gateway.Tests.Hostile;

/// <summary>What every hostile-traffic test checks after the offender is dealt with.</summary>
public static class Offender
{
    /// <summary>
    /// The server holds nothing of the offender any more: its connection is no longer counted and
    /// its session entity is gone. <paramref name="othersOpen"/> is how many sockets the test still
    /// holds open (its bystanders).
    /// </summary>
    public static async Task AssertReleasedAsync(SocketPeerServer server, string sessionId, int othersOpen)
    {
        await Retry.UntilAsync(() => server.Metrics.Snapshot().Connections == othersOpen
            ? Task.FromResult(true)
            : throw new Xunit.Sdk.XunitException($"{server.Metrics.Snapshot().Connections} connections open, {othersOpen} expected"));
        var region = server.Services.GetRequiredService<ActorRegistry>().Get<SessionRegion>();
        await Retry.UntilAsync(async () =>
        {
            var state = await region.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, TimeSpan.FromSeconds(5));
            return !state.Shards.Any(s => s.EntityIds.Contains(sessionId))
                ? true
                : throw new Xunit.Sdk.XunitException($"session {sessionId} is still there");
        });
    }

    /// <summary>Asserts the server closed the offender with <paramref name="code"/> (or reset it, when <paramref name="code"/> is null).</summary>
    public static async Task AssertClosedAsync(RawWebSocket offender, int? code, TimeSpan? within = null) =>
        Assert.Equal(code, await offender.ClosedAsync(within));

    /// <summary>Sends as much as it can of <paramref name="bytes"/>: the server may close part-way.</summary>
    public static async Task WriteWhileOpenAsync(RawWebSocket offender, byte[] bytes)
    {
        try
        {
            await offender.WriteRawAsync(bytes);
        }
        catch (IOException)
        {
            // The server closed the connection before it read everything: what the test wants.
        }
    }
}
