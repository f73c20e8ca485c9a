using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SocketPeer.Gateway.Webhooks;

namespace SocketPeer.Testing;

/// <summary>One request the receiver took: its headers and the raw body, as a backend would check them.</summary>
public sealed record ReceivedEvent(string? EventId, string? Timestamp, string? Signature, byte[] Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public string Type => Json.GetProperty("type").GetString()!;

    public string Field(string name) => Json.GetProperty(name).GetString()!;

    public long UnixTimestamp => long.Parse(Timestamp!, CultureInfo.InvariantCulture);
}

/// <summary>
/// A webhook receiver on Kestrel at 127.0.0.1:0, inside the test: it records every request and
/// answers 200, or (<see cref="StartHangingAsync"/>) takes the request and never answers, as a
/// receiver that is down behind a proxy that holds connections.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedEvent> _received = new();
    private readonly CancellationTokenSource _release = new();
    private readonly SemaphoreSlim _arrived = new(0);

    private WebhookReceiver(bool hang)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        _app = builder.Build();
        _app.MapPost("/events", async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            var headers = context.Request.Headers;
            _received.Enqueue(new ReceivedEvent(headers[WebhookSignature.EventIdHeader], headers[WebhookSignature.TimestampHeader],
                headers[WebhookSignature.SignatureHeader], body.ToArray()));
            _arrived.Release();
            if (hang)
            {
                // Never answers: held until the sender gives up on it or the test releases it.
                var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                using (context.RequestAborted.Register(() => released.TrySetResult()))
                using (_release.Token.Register(() => released.TrySetResult()))
                    await released.Task;
                return;
            }
            context.Response.StatusCode = StatusCodes.Status200OK;
        });
    }

    public Uri Url { get; private set; } = null!;

    public IReadOnlyList<ReceivedEvent> Received => [.. _received];

    public static Task<WebhookReceiver> StartAsync() => StartAsync(hang: false);

    public static Task<WebhookReceiver> StartHangingAsync() => StartAsync(hang: true);

    private static async Task<WebhookReceiver> StartAsync(bool hang)
    {
        var receiver = new WebhookReceiver(hang);
        await receiver._app.StartAsync();
        var address = receiver._app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        receiver.Url = new Uri(new Uri(address), "/events");
        return receiver;
    }

    /// <summary>Waits until the events received satisfy <paramref name="enough"/>, and returns them.</summary>
    public async Task<IReadOnlyList<ReceivedEvent>> UntilAsync(Func<IReadOnlyList<ReceivedEvent>, bool> enough)
    {
        using var deadline = new CancellationTokenSource(TestClient.Timeout);
        while (true)
        {
            var received = Received;
            if (enough(received)) return received;
            try
            {
                await _arrived.WaitAsync(deadline.Token); // the next request, or the deadline
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"the receiver did not get the expected events within {TestClient.Timeout}; it got: "
                    + string.Join(", ", received.Select(e => e.Type)));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _release.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _release.Dispose();
        _arrived.Dispose();
    }
}
