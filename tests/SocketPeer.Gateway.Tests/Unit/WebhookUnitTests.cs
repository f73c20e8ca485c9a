using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SocketPeer.Actors.Events;
using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Sessions;
using SocketPeer.Gateway.Webhooks;

namespace SocketPeer.Gateway.Tests.Unit;

/// <summary>The webhook's signature, back-off, options and body (docs/webhooks.md).</summary>
public sealed class WebhookUnitTests
{
    private const string Secret = "0123456789abcdef0123456789abcdef-current";
    private const string Retired = "0123456789abcdef0123456789abcdef-retired";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"id":"pair.formed:x","type":"pair.formed"}""");

    [Fact]
    public void The_signature_is_an_hmac_of_the_timestamp_and_the_body_one_per_secret()
    {
        var header = new WebhookSignature([Secret, Retired]).Sign(1_800_000_000, Body);

        byte[] signed = [.. Encoding.ASCII.GetBytes("1800000000."), .. Body];
        var parts = header.Split(',');
        Assert.Equal(2, parts.Length);
        Assert.Equal("v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), signed)), parts[0]);
        Assert.Equal("v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Retired), signed)), parts[1]);
    }

    [Fact]
    public void Verification_takes_either_secret_and_refuses_another_time_another_body_or_another_secret()
    {
        var header = new WebhookSignature([Secret, Retired]).Sign(1_800_000_000, Body);

        Assert.True(WebhookSignature.Verify(Secret, 1_800_000_000, Body, header));
        Assert.True(WebhookSignature.Verify(Retired, 1_800_000_000, Body, header));
        Assert.False(WebhookSignature.Verify(Secret, 1_800_000_001, Body, header));
        Assert.False(WebhookSignature.Verify(Secret, 1_800_000_000, [.. Body, (byte)' '], header));
        Assert.False(WebhookSignature.Verify(Secret + "x", 1_800_000_000, Body, header));
        Assert.False(WebhookSignature.Verify(Secret, 1_800_000_000, Body, "v1=zz,v2=00"));
    }

    [Fact]
    public void Back_off_doubles_from_the_first_wait_up_to_the_cap_with_half_of_it_jittered()
    {
        var backOff = new WebhookBackOff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));

        Assert.Equal(TimeSpan.FromMilliseconds(500), backOff.Before(1, 0));
        Assert.Equal(TimeSpan.FromSeconds(1), backOff.Before(1, 1));
        Assert.Equal(TimeSpan.FromSeconds(2), backOff.Before(2, 1));
        Assert.Equal(TimeSpan.FromSeconds(3), backOff.Before(3, 0.5)); // 4 s planned: 2 fixed, half of 2 random
        Assert.Equal(TimeSpan.FromSeconds(15), backOff.Before(6, 0)); // 32 s planned, capped at 30
        Assert.Equal(TimeSpan.FromSeconds(30), backOff.Before(100, 1));
        for (var failures = 1; failures < 40; failures++)
            Assert.InRange(backOff.Before(failures, Random.Shared.NextDouble()), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void Without_a_url_the_webhook_is_off_and_needs_nothing()
    {
        var off = new WebhookOptions();

        Assert.False(off.Enabled);
        Assert.Empty(off.Problems());
    }

    [Theory]
    [InlineData("Url", "not a url", "Url")]
    [InlineData("Url", "ftp://example.com/events", "Url")]
    [InlineData("Url", "https://user:pw@example.com/events", "credentials")]
    [InlineData("Secret", "short-secret", "Secret must be at least 32")]
    [InlineData("Previous", "short-secret", "PreviousSecrets:0")]
    [InlineData("QueueCapacity", "0", "QueueCapacity")]
    [InlineData("Concurrency", "0", "Concurrency")]
    [InlineData("MaxAttempts", "0", "MaxAttempts")]
    [InlineData("MaxAge", "00:00:00", "MaxAge")]
    [InlineData("RequestTimeout", "00:00:00", "RequestTimeout")]
    [InlineData("FirstBackOff", "00:00:00", "FirstBackOff")]
    [InlineData("MaxBackOff", "00:00:00.1", "MaxBackOff")]
    public void A_bad_setting_is_named_and_no_secret_is_ever_repeated(string key, string value, string named)
    {
        var options = new WebhookOptions { Url = "https://backend.example.com/socketpeer", Secret = Secret };
        switch (key)
        {
            case "Url": options.Url = value; break;
            case "Secret": options.Secret = value; break;
            case "Previous": options.PreviousSecrets = [value]; break;
            case "QueueCapacity": options.QueueCapacity = int.Parse(value); break;
            case "Concurrency": options.Concurrency = int.Parse(value); break;
            case "MaxAttempts": options.MaxAttempts = int.Parse(value); break;
            case "MaxAge": options.MaxAge = TimeSpan.Parse(value); break;
            case "RequestTimeout": options.RequestTimeout = TimeSpan.Parse(value); break;
            case "FirstBackOff": options.FirstBackOff = TimeSpan.Parse(value); break;
            case "MaxBackOff": options.MaxBackOff = TimeSpan.Parse(value); break;
        }

        var problem = Assert.Single(options.Problems());
        Assert.Contains(named, problem);
        Assert.StartsWith("SocketPeer:Webhook:", problem);
        Assert.DoesNotContain(options.Secret!, problem);
        Assert.DoesNotContain("short-secret", problem);
        Assert.DoesNotContain("pw@", problem);
    }

    [Fact]
    public void A_secret_without_a_url_is_a_mistake()
    {
        Assert.Contains("Url is not", Assert.Single(new WebhookOptions { Secret = Secret }.Problems()));
    }

    [Fact]
    public void An_ended_pairing_carries_its_reason_and_duration_and_null_when_the_start_was_lost()
    {
        var pairing = PairingId.Of(new PairCode("blue-fox"), new SessionId("a"), new SessionId("b"));
        var ended = new RoomEvent(RoomEventKind.PairEnded, RoomEventIds.Ended(pairing), pairing, new PairCode("blue-fox"), new SessionId("a"),
            new SessionId("b"))
        {
            At = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_123),
            Reason = PairEndReason.PartnerDidNotReturn,
            Duration = TimeSpan.FromSeconds(61.5),
        };

        var json = JsonDocument.Parse(WebhookPayload.Serialize(ended)).RootElement;
        var unknown = JsonDocument.Parse(WebhookPayload.Serialize(ended with { Duration = null })).RootElement;

        Assert.Equal(
            $$"""{"id":"pair.ended:{{pairing}}","type":"pair.ended","occurredAt":"2027-01-15T08:00:00.123Z","pairCode":"blue-fox","pairing":"{{pairing}}","session":"a","partner":"b","reason":"partner-did-not-return","durationMs":61500}""",
            json.GetRawText());
        Assert.Equal(JsonValueKind.Null, unknown.GetProperty("durationMs").ValueKind);
    }

    [Fact]
    public void Every_kind_and_reason_has_its_name()
    {
        Assert.All(Enum.GetValues<RoomEventKind>(), kind => Assert.StartsWith("pair.", WebhookPayload.TypeOf(kind)));
        var names = Enum.GetValues<PairEndReason>().Select(WebhookPayload.ReasonOf).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
    }
}
