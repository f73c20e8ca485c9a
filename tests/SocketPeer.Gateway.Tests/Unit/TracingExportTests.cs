using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using SocketPeer.Gateway.Hosting;

namespace SocketPeer.Gateway.Tests.Unit;

/// <summary>Traces are exported only when the standard <c>OTEL_*</c> variables ask for it (docs/operations.md, "Tracing").</summary>
public sealed class TracingExportTests
{
    public static TheoryData<string, bool> Settings() => new()
    {
        { "", false },
        { "OTEL_SERVICE_NAME=socketpeer", false },
        { "OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4317", true },
        { "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=http://127.0.0.1:4318/v1/traces", true },
        { "OTEL_TRACES_EXPORTER=otlp", true },
        { "OTEL_TRACES_EXPORTER=console, OTLP", true },
        { "OTEL_TRACES_EXPORTER=none;OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4317", false },
        { "OTEL_SDK_DISABLED=true;OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4317", false },
        { "OTEL_SDK_DISABLED=false;OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4317", true },
        { "OTEL_EXPORTER_OTLP_ENDPOINT= ", false },
    };

    [Theory]
    [MemberData(nameof(Settings))]
    public void Export_is_on_only_when_the_variables_ask_for_it(string settings, bool on) =>
        Assert.Equal(on, TracingExport.IsOn(Configuration(settings)));

    [Fact]
    public void With_no_variables_set_no_tracer_provider_is_registered()
    {
        using var services = Services("");

        Assert.Null(services.GetService<TracerProvider>());
    }

    [Fact]
    public void With_an_endpoint_set_a_tracer_provider_is_registered()
    {
        using var services = Services("OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4317");

        Assert.NotNull(services.GetService<TracerProvider>());
    }

    /// <summary>The host's telemetry wiring, with only the given settings (not the test machine's environment).</summary>
    private static ServiceProvider Services(string settings)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Configuration.AddConfiguration(Configuration(settings));
        builder.AddSocketPeerHealthAndMetrics();
        return builder.Services.BuildServiceProvider();
    }

    private static IConfiguration Configuration(string settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings
            .Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => s.Split('=', 2))
            .Select(kv => KeyValuePair.Create(kv[0], (string?)kv[1]))).Build();
}
