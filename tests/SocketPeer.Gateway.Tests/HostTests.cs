using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SocketPeer.Gateway.Hosting;
using SocketPeer.Gateway.Protocol;
using SocketPeer.Testing;
using SocketPeer.Tools;

namespace SocketPeer.Gateway.Tests;

public sealed class HostTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Theory]
    [InlineData("/healthz")]
    [InlineData("/ready")]
    public async Task Health_endpoints_report_healthy_on_a_running_node(string path)
    {
        using var http = fixture.Server.CreateHttpClient();
        using var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Metrics_are_exported_in_prometheus_text_format()
    {
        var (a, b) = await Pairs.OpenAsync(fixture.Server);
        await using var _ = a;
        await using var __ = b;
        await Pairs.AssertRelaysAsync(a, b);
        await a.SendTextAsync("nope"); // an error, so the errors counter has a value to export
        await a.ExpectErrorAsync("bad-message");

        using var http = fixture.Server.CreateHttpClient();
        var text = await http.GetStringAsync("/metrics");

        Assert.Contains("# TYPE socketpeer_connections gauge", text);
        Assert.Contains("# TYPE socketpeer_pairings_total counter", text);
        Assert.Contains("socketpeer_sessions_paired", text);
        // Values are checked through Snapshot(): in a test process several hosts share the exporter.
        Assert.Contains("# TYPE socketpeer_relayed_messages_total counter", text);
        Assert.Contains("socketpeer_errors_total", text);
    }

    [Fact]
    public async Task Metrics_count_pairings_relays_and_errors()
    {
        var before = fixture.Server.Metrics.Snapshot();
        var (a, b) = await Pairs.OpenAsync(fixture.Server);
        await using var _ = a;
        await using var __ = b;
        await Pairs.AssertRelaysAsync(a, b);
        await a.SendTextAsync("nope");
        await a.ExpectErrorAsync("bad-message");

        var after = fixture.Server.Metrics.Snapshot();
        Assert.True(after.Pairings >= before.Pairings + 1);
        Assert.True(after.RelayedData >= before.RelayedData + 2);
        Assert.True(after.Errors.GetValueOrDefault("bad-message") >= before.Errors.GetValueOrDefault("bad-message") + 1);
        Assert.True(after.Paired >= 2);
    }
}

public sealed class OptionsValidationTests
{
    [Theory]
    [InlineData("SocketPeer:MaxFrameBytes", "10", "MaxFrameBytes")]
    [InlineData("SocketPeer:PeerTimeout", "-00:00:01", "PeerTimeout")]
    [InlineData("SocketPeer:PairCode:Pattern", "([a-z", "Pattern")]
    [InlineData("SocketPeer:AllowedOrigins:0", "not an origin", "AllowedOrigins")]
    [InlineData("SocketPeer:Cluster:SeedNodes:0", "http://elsewhere:4053", "SeedNodes")]
    [InlineData("SocketPeer:Cluster:RoomRole", "rooms,gateway", "RoomRole")]
    [InlineData("SocketPeer:Cluster:Roles:0", "two words", "Roles")]
    [InlineData("SocketPeer:OutboundQueueLength", "0", "OutboundQueueLength")]
    [InlineData("SocketPeer:IngressLanes", "0", "IngressLanes")]
    [InlineData("SocketPeer:IngressLaneCapacity", "0", "IngressLaneCapacity")]
    [InlineData("SocketPeer:Ice:TurnUrls:0", "turn:turn.example.net", "TurnSecret")]
    [InlineData("SocketPeer:Ice:StunUrls:0", "http://stun.example.net", "StunUrls")]
    [InlineData("SocketPeer:SendTimeout", "00:00:00", "SendTimeout")]
    [InlineData("SocketPeer:MessageTimeout", "-00:00:01", "MessageTimeout")]
    [InlineData("SocketPeer:HandshakeTimeout", "00:00:00", "HandshakeTimeout")]
    [InlineData("SocketPeer:IdleTimeout", "-00:00:01", "IdleTimeout")]
    [InlineData("SocketPeer:Cluster:Timings:SchedulerTick", "00:00:00.005", "SchedulerTick")] // Akka's minimum is 10 ms
    [InlineData("SocketPeer:Cluster:Timings:SchedulerTick", "00:00:00.2", "SchedulerTick")] // over half the 250 ms leader tick
    [InlineData("SocketPeer:IdleTimeout", "100.00:00:00", "IdleTimeout")]
    [InlineData("SocketPeer:KeepAliveTimeout", "-00:00:01", "KeepAliveTimeout")]
    [InlineData("SocketPeer:OutboundQueueBytes", "1000", "OutboundQueueBytes")]
    [InlineData("SocketPeer:EmptyFramesPerMessage", "-1", "EmptyFramesPerMessage")]
    [InlineData("SocketPeer:PairCode:Pattern", "a)(b", "Pattern")]
    [InlineData("SocketPeer:ConnectBurst", "2", "ConnectBurst")] // below ConnectionsPerAddress (32)
    [InlineData("SocketPeer:PairBurst", "2", "PairBurst")]
    [InlineData("SocketPeer:Ice:CredentialBurst", "2", "CredentialBurst")]
    [InlineData("SocketPeer:ConnectsPerMinute", "0", "ConnectsPerMinute")]
    [InlineData("SocketPeer:PairsPerMinute", "0", "PairsPerMinute")]
    [InlineData("SocketPeer:BusyPerMinute", "0", "BusyPerMinute")]
    [InlineData("SocketPeer:BusyBurst", "0", "BusyBurst")]
    [InlineData("SocketPeer:Ice:CredentialsPerMinute", "0", "CredentialsPerMinute")]
    [InlineData("SocketPeer:IPv6PrefixLength", "129", "IPv6PrefixLength")]
    [InlineData("SocketPeer:IPv6PrefixLength", "8", "IPv6PrefixLength")]
    [InlineData("SocketPeer:IPv4PrefixLength", "33", "IPv4PrefixLength")]
    [InlineData("SocketPeer:TrustedProxies:0", "ingress-nginx", "TrustedProxies")]
    [InlineData("SocketPeer:TrustedProxies:0", "10.1.2.3/8", "TrustedProxies")]
    [InlineData("SocketPeer:ManagementUrl", "https://127.0.0.1:9090", "ManagementUrl")]
    [InlineData("SocketPeer:ManagementUrl", "http://metrics.example.com:9090", "ManagementUrl")]
    [InlineData("SocketPeer:ManagementUrl", "not a url", "ManagementUrl")]
    [InlineData("FORWARDEDHEADERS_ENABLED", "true", "TrustedProxies")]
    [InlineData("SocketPeer:Resume:Secret", "c2hvcnQ=", "Resume:Secret")]
    [InlineData("SocketPeer:Resume:SecretId", "two words", "SecretId")]
    [InlineData("SocketPeer:Resume:SecretId", "123456789012345678901234567890123", "SecretId")]
    [InlineData("SocketPeer:Resume:PreviousSecrets:0:Id", "old", "PreviousSecrets")] // no secret with it, no current secret
    [InlineData("SocketPeer:Resume:PreviousSecrets:0:Secret", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", "PreviousSecrets:0:Id")]
    [InlineData("SocketPeer:JoinTokens:Required", "true", "JoinTokens:Keys")] // required, with no key to check against
    [InlineData("SocketPeer:JoinTokens:Keys:0:Secret", "c2hvcnQ=", "JoinTokens:Keys:0:Secret")]
    [InlineData("SocketPeer:JoinTokens:Keys:0:Algorithm", "RS256", "JoinTokens:Keys:0:Algorithm")]
    [InlineData("SocketPeer:JoinTokens:Keys:0:Algorithm", "ES256", "JoinTokens:Keys:0:PublicKey")]
    [InlineData("SocketPeer:JoinTokens:Keys:0:Id", "k1", "JoinTokens:Keys:0:Secret")] // HS256 without a secret
    [InlineData("SocketPeer:JoinTokens:MaxLifetime", "00:00:00", "JoinTokens:MaxLifetime")]
    [InlineData("SocketPeer:JoinTokens:ClockSkew", "01:00:00", "JoinTokens:ClockSkew")]
    [InlineData("SocketPeer:Cluster:Tls:Enabled", "true", "Tls:CertificatePath")]
    [InlineData("SocketPeer:Cluster:RelayBatching:MaxMessages", "0", "RelayBatching:MaxMessages")]
    [InlineData("SocketPeer:Cluster:RelayBatching:MaxBytes", "200000", "RelayBatching:MaxBytes")] // past Akka.Remote's frame
    [InlineData("SocketPeer:Webhook:Url", "https://backend.example.com/socketpeer", "Webhook:Secret")] // no secret to sign with
    [InlineData("SocketPeer:Webhook:Secret", "0123456789abcdef0123456789abcdef", "Webhook:Url")] // nowhere to send
    public async Task An_invalid_option_stops_the_host_with_a_message_naming_it(string key, string value, string named)
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => SocketPeerServer.StartAsync((key, value)));
        Assert.Contains(named, failure.Message);
    }

    [Fact]
    public void The_management_port_may_not_be_a_public_port()
    {
        // Building the host maps the endpoints, which reads (and so validates) the options; nothing binds.
        var failure = Assert.Throws<OptionsValidationException>(() =>
            SocketPeerApp.Create(["--urls", "http://127.0.0.1:18080", "--SocketPeer:ManagementUrl=http://127.0.0.1:18080"]));
        Assert.Contains("port 18080", failure.Message);
    }
}

/// <summary>SocketPeer:Cluster:Tls: files that cannot serve stop the host at start-up, naming the key and the file.</summary>
public sealed class ClusterTlsOptionsValidationTests : IDisposable
{
    private readonly LocalCertificateAuthority _ca = LocalCertificateAuthority.Create("SocketPeer test cluster CA");
    private readonly LocalCertificateAuthority _otherCa = LocalCertificateAuthority.Create("Some other CA");
    private readonly NodeTlsFiles _files;
    private readonly NodeTlsFiles _otherFiles;

    public ClusterTlsOptionsValidationTests()
    {
        using var certificate = _ca.Issue("node", "127.0.0.1");
        _files = new NodeTlsFiles(certificate, _ca.Certificate);
        using var other = _otherCa.Issue("other", "127.0.0.1");
        _otherFiles = new NodeTlsFiles(other, _otherCa.Certificate);
    }

    public static TheoryData<string, string> Broken() => new()
    {
        { "no certificate file", "Tls:CertificatePath: no file at" },
        { "no key file", "Tls:KeyPath: no file at" },
        { "no CA file", "Tls:CaPath: no file at" },
        { "no CA path", "Tls:CaPath is not set" },
        { "the key of another certificate", "Tls:CertificatePath" },
        { "a CA file that is not PEM", "Tls:CaPath" },
        { "a certificate another CA signed", "does not chain to a certificate authority in CaPath" },
        { "a key path beside a PKCS#12 file", "PKCS#12" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public async Task Unusable_TLS_files_stop_the_host_with_a_message_naming_them(string broken, string named)
    {
        var settings = _files.Settings().ToDictionary(s => s.Key, s => s.Value);
        const string tls = "SocketPeer:Cluster:Tls:";
        var missing = Path.Combine(_files.Folder, "missing.pem");
        switch (broken)
        {
            case "no certificate file": settings[tls + "CertificatePath"] = missing; break;
            case "no key file": settings[tls + "KeyPath"] = missing; break;
            case "no CA file": settings[tls + "CaPath"] = missing; break;
            case "no CA path": settings[tls + "CaPath"] = ""; break;
            case "the key of another certificate": settings[tls + "KeyPath"] = _otherFiles.Key; break;
            case "a CA file that is not PEM": settings[tls + "CaPath"] = _files.Key; break;
            case "a certificate another CA signed":
                settings[tls + "CertificatePath"] = _otherFiles.Certificate;
                settings[tls + "KeyPath"] = _otherFiles.Key;
                break;
            case "a key path beside a PKCS#12 file":
                var pfx = Path.Combine(_files.Folder, "node.pfx");
                using (var certificate = X509CertificateLoader.LoadCertificateFromFile(_files.Certificate))
                using (var withKey = certificate.CopyWithPrivateKey(ECDsaKey(_files.Key)))
                    File.WriteAllBytes(pfx, withKey.Export(X509ContentType.Pkcs12));
                settings[tls + "CertificatePath"] = pfx;
                break;
        }

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            SocketPeerServer.StartAsync([.. settings.Select(s => (s.Key, s.Value))]));

        Assert.Contains(named, failure.Message);
    }

    [Fact]
    public async Task A_single_node_with_TLS_files_starts_and_joins_itself()
    {
        await using var server = await SocketPeerServer.StartAsync(_files.Settings(validateHostname: true));

        Assert.Equal(Actors.Cluster.ClusterSettings.TlsProtocol, server.ClusterAddress.Protocol);
    }

    [Fact]
    public async Task A_node_whose_certificate_ends_within_a_week_warns_at_start_up()
    {
        // It reads its certificate only at start-up, so it must be restarted once the renewed one is there.
        using var ending = _ca.Issue("ending", TimeSpan.FromDays(2), "127.0.0.1");
        using var files = new NodeTlsFiles(ending, _ca.Certificate);
        var logs = new CapturedLogs("Cluster TLS: this node's certificate");

        await using var server = await SocketPeerServer.StartAsync(builder => builder.Logging.AddProvider(logs), files.Settings());

        Assert.Contains("CN=ending", await logs.First.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    private static System.Security.Cryptography.ECDsa ECDsaKey(string pemFile)
    {
        var key = System.Security.Cryptography.ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(pemFile));
        return key;
    }

    public void Dispose()
    {
        _files.Dispose();
        _otherFiles.Dispose();
        _ca.Dispose();
        _otherCa.Dispose();
    }
}

public sealed class SeedNodeConfigurationTests
{
    [Fact]
    public async Task Seed_nodes_may_be_one_comma_separated_value()
    {
        var app = Gateway.Hosting.SocketPeerApp.Create(
        [
            "--urls", "http://127.0.0.1:0", "--SocketPeer:Cluster:Port=0",
            "--SocketPeer:Cluster:SeedNodes=akka.tcp://socketpeer@127.0.0.1:1, akka.tcp://socketpeer@127.0.0.1:2",
        ]);
        await using var _ = app;

        var options = app.Services.GetRequiredService<IOptions<Gateway.Options.SocketPeerOptions>>().Value;

        Assert.Equal(["akka.tcp://socketpeer@127.0.0.1:1", "akka.tcp://socketpeer@127.0.0.1:2"], options.Cluster.SeedNodes);
    }
}

/// <summary>Resume secrets rotate: a token signed with a previous key resumes while that key is configured (docs/protocol.md, "Key rotation").</summary>
public sealed class ResumeKeyRotationTests
{
    private const string Old = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    private const string New = "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=";

    [Fact]
    public async Task A_token_of_the_previous_key_is_accepted_while_configured_and_refused_once_removed()
    {
        string token;
        await using (var before = await SocketPeerServer.StartAsync(("SocketPeer:Resume:Secret", Old), ("SocketPeer:Resume:SecretId", "2026-11")))
        await using (var client = await before.ConnectAsync())
            token = client.SessionMessage.GetProperty("data").GetProperty("token").GetString()!;

        await using var during = await SocketPeerServer.StartAsync(("SocketPeer:Resume:Secret", New), ("SocketPeer:Resume:SecretId", "2026-12"),
            ("SocketPeer:Resume:PreviousSecrets:0:Id", "2026-11"), ("SocketPeer:Resume:PreviousSecrets:0:Secret", Old));
        await using var after = await SocketPeerServer.StartAsync(("SocketPeer:Resume:Secret", New), ("SocketPeer:Resume:SecretId", "2026-12"));

        Assert.NotNull(during.Services.GetRequiredService<ResumeTokens>().Read(token, out _));
        Assert.Null(after.Services.GetRequiredService<ResumeTokens>().Read(token, out var problem));
        Assert.Contains("retired", problem);
        // And what a rotated node issues, a node that has not rotated yet but lists the new key accepts.
        await using var notYet = await SocketPeerServer.StartAsync(("SocketPeer:Resume:Secret", Old), ("SocketPeer:Resume:SecretId", "2026-11"),
            ("SocketPeer:Resume:PreviousSecrets:0:Id", "2026-12"), ("SocketPeer:Resume:PreviousSecrets:0:Secret", New));
        await using var rotatedClient = await after.ConnectAsync();
        Assert.NotNull(notYet.Services.GetRequiredService<ResumeTokens>().Read(
            rotatedClient.SessionMessage.GetProperty("data").GetProperty("token").GetString(), out _));
    }
}
