using SocketPeer.Testing;

namespace SocketPeer.Cluster.Tests;

/// <summary>
/// The room events a backend hears when one session of a pair is lost with its node (docs/webhooks.md):
/// the survivor announces <c>pair.partner-lost</c> when the lost partner may still resume, and
/// <c>pair.ended</c> (<c>partner-lost</c>) at once when it cannot (an original client). In-process
/// crash as in <see cref="CrashRecoveryTests"/> (<see cref="SocketPeerServer.Crash"/>).
/// </summary>
public sealed class WebhookAcrossNodesTests
{
    private static (string, string)[] WebhookTo(Uri url) =>
    [
        ("SocketPeer:Webhook:Url", url.ToString()),
        ("SocketPeer:Webhook:Secret", "webhook-secret-for-tests-0123456789abcdef"),
    ];

    [Fact]
    public async Task A_partner_lost_with_its_node_that_may_resume_is_announced_as_partner_lost_by_the_survivor()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var cluster = await TestCluster.StartAsync(3, WebhookTo(receiver.Url));
        var (survivor, crashing) = (cluster[0], cluster[2]);
        var pair = await Resumable.PairAsync(crashing, survivor); // A (on the crashing node) waits, B initiates
        await using var lost = pair.A;
        await using var surviving = pair.B;
        await receiver.UntilAsync(events => events.Any(e => e.Type == "pair.formed"));

        crashing.Crash();

        var events = await receiver.UntilAsync(events => events.Any(e => e.Type == "pair.partner-lost"));
        var partnerLost = events.Single(e => e.Type == "pair.partner-lost");
        Assert.Equal(surviving.SessionId, partnerLost.Field("session"));
        Assert.Equal(lost.SessionId, partnerLost.Field("partner"));
        Assert.Equal(pair.A.PairCode, partnerLost.Field("pairCode"));
        var formed = events.Single(e => e.Type == "pair.formed");
        Assert.Equal(formed.Field("pairing"), partnerLost.Field("pairing")); // the same pairing, not a new one
        Assert.DoesNotContain(events, e => e.Type == "pair.ended"); // not over: its client has the grace period
    }

    [Fact]
    public async Task A_partner_lost_with_its_node_that_cannot_resume_ends_the_pairing_at_once()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var cluster = await TestCluster.StartAsync(3, WebhookTo(receiver.Url));
        var (survivor, crashing) = (cluster[0], cluster[2]);
        await using var lost = await crashing.ConnectAsync(); // an original client: no resume
        await using var surviving = await survivor.ConnectAsync();
        var code = Codes.New();
        await lost.PairAsync(code);
        await surviving.PairAsync(code);
        await lost.ExpectAsync("peer.found");
        await surviving.ExpectAsync("peer.found");
        await receiver.UntilAsync(events => events.Any(e => e.Type == "pair.formed"));

        crashing.Crash();

        await surviving.ExpectAsync("peer.left");
        var events = await receiver.UntilAsync(events =>
            events.Any(e => e.Type == "pair.ended" && e.Field("session") == surviving.SessionId));
        var ended = events.Single(e => e.Type == "pair.ended" && e.Field("session") == surviving.SessionId);
        Assert.Equal("partner-lost", ended.Field("reason"));
        Assert.Equal(lost.SessionId, ended.Field("partner"));
        Assert.DoesNotContain(events, e => e.Type == "pair.partner-lost"); // nobody to wait for
    }
}
