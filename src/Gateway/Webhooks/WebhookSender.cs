using System.Net;
using Microsoft.Extensions.Options;
using SocketPeer.Actors.Diagnostics;
using SocketPeer.Actors.Events;
using SocketPeer.Gateway.Options;

namespace SocketPeer.Gateway.Webhooks;

/// <summary>
/// Delivers the node's room events (<see cref="WebhookQueue"/>) to the receiver, at least once: a few
/// deliveries at a time (<see cref="WebhookOptions.Concurrency"/>), each retrying its event with
/// back-off until the receiver answers 2xx, refuses it (4xx other than 408 and 429: retrying would not
/// help), it runs out of attempts, or it grows older than <see cref="WebhookOptions.MaxAge"/>. Nothing
/// here is on the relay path: actors only enqueue. While deliveries wait on a receiver that is down,
/// the queue fills and new events are dropped and counted.
/// </summary>
public sealed class WebhookSender(
    WebhookQueue queue,
    IHttpClientFactory clients,
    IOptions<SocketPeerOptions> options,
    SocketPeerMetrics metrics,
    TimeProvider time,
    ILogger<WebhookSender> log) : BackgroundService
{
    public const string HttpClientName = "socketpeer-webhook";

    private readonly WebhookOptions _options = options.Value.Webhook;
    private readonly WebhookSignature _signature = new([options.Value.Webhook.Secret ?? "", .. options.Value.Webhook.PreviousSecrets]);
    private readonly WebhookBackOff _backOff = new(options.Value.Webhook.FirstBackOff, options.Value.Webhook.MaxBackOff);
    private int _failing;

    protected override Task ExecuteAsync(CancellationToken stopping) =>
        _options.Enabled
            ? Task.WhenAll(Enumerable.Range(0, _options.Concurrency).Select(_ => Task.Run(() => WorkAsync(stopping), CancellationToken.None)))
            : Task.CompletedTask;

    private async Task WorkAsync(CancellationToken stopping)
    {
        try
        {
            await foreach (var roomEvent in queue.Reader.ReadAllAsync(stopping))
                await DeliverAsync(roomEvent, stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The host stops: what is still queued is lost with the process (docs/webhooks.md).
        }
    }

    private async Task DeliverAsync(RoomEvent roomEvent, CancellationToken stopping)
    {
        var body = WebhookPayload.Serialize(roomEvent);
        for (var attempt = 1; ; attempt++)
        {
            if (time.GetUtcNow() - roomEvent.At > _options.MaxAge)
            {
                metrics.WebhookDropped(SocketPeerMetrics.WebhookExpired);
                return;
            }
            var outcome = await SendAsync(roomEvent, body, stopping);
            if (outcome == Outcome.Delivered)
            {
                metrics.WebhookDelivered();
                Recovered();
                return;
            }
            if (outcome == Outcome.Rejected)
            {
                metrics.WebhookDropped(SocketPeerMetrics.WebhookRejected);
                return;
            }
            if (attempt >= _options.MaxAttempts)
            {
                metrics.WebhookDropped(SocketPeerMetrics.WebhookAttempts);
                return;
            }
            await Task.Delay(_backOff.Before(attempt, Random.Shared.NextDouble()), time, stopping);
            metrics.WebhookRetried();
        }
    }

    private enum Outcome
    {
        Delivered,
        Failed,
        Rejected,
    }

    private async Task<Outcome> SendAsync(RoomEvent roomEvent, byte[] body, CancellationToken stopping)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timeout.CancelAfter(_options.RequestTimeout);
        // Signed per attempt: the timestamp says when this request was made, so a receiver can refuse old ones replayed.
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, _options.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json") { CharSet = "utf-8" };
        request.Headers.Add(WebhookSignature.EventIdHeader, roomEvent.Id);
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, _signature.Sign(timestamp, body));
        try
        {
            using var response = await clients.CreateClient(HttpClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (response.IsSuccessStatusCode) return Outcome.Delivered;
            var status = (int)response.StatusCode;
            Failing($"HTTP {status}");
            return status is >= 400 and < 500 && response.StatusCode is not (HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests)
                ? Outcome.Rejected
                : Outcome.Failed;
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            Failing($"no answer within {_options.RequestTimeout}");
            return Outcome.Failed;
        }
        catch (HttpRequestException e)
        {
            Failing(e.HttpRequestError.ToString());
            return Outcome.Failed;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever else one request throws must not end this delivery loop (nor, through it, the host).
            Failing(e.GetType().Name);
            return Outcome.Failed;
        }
    }

    /// <summary>One line when the receiver starts failing and one when it is back, not one per attempt.</summary>
    private void Failing(string why)
    {
        if (Interlocked.Exchange(ref _failing, 1) == 0)
            log.LogWarning("Webhook receiver failing ({Why}); events are retried with back-off, then dropped (socketpeer_webhook_dropped_total)", why);
    }

    private void Recovered()
    {
        if (Interlocked.Exchange(ref _failing, 0) == 1)
            log.LogInformation("Webhook receiver accepts events again");
    }
}
