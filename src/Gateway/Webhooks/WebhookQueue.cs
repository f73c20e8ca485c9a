using System.Threading.Channels;
using SocketPeer.Actors.Diagnostics;
using SocketPeer.Actors.Events;

namespace SocketPeer.Gateway.Webhooks;

/// <summary>
/// The node's room events waiting for delivery: a bounded channel that session actors write to with
/// <c>TryWrite</c> only, so announcing never waits, whatever the receiver does. Full (the receiver is
/// down or slow for long enough), an event is dropped and counted (<c>socketpeer_webhook_dropped_total{reason="queue-full"}</c>).
/// What is queued lives in this process only: a node that crashes loses it.
/// </summary>
public sealed class WebhookQueue : IRoomEvents
{
    private readonly Channel<RoomEvent> _channel;
    private readonly SocketPeerMetrics _metrics;

    public WebhookQueue(int capacity, SocketPeerMetrics metrics)
    {
        _channel = Channel.CreateBounded<RoomEvent>(new BoundedChannelOptions(capacity)
        {
            // Wait makes TryWrite refuse when full (the Drop modes would drop silently, or an older event).
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = false,
            SingleWriter = false,
        });
        _metrics = metrics;
        metrics.ObserveWebhookQueue(() => _channel.Reader.Count);
    }

    public ChannelReader<RoomEvent> Reader => _channel.Reader;

    public void Announce(RoomEvent roomEvent)
    {
        if (!_channel.Writer.TryWrite(roomEvent)) _metrics.WebhookDropped(SocketPeerMetrics.WebhookQueueFull);
    }
}
