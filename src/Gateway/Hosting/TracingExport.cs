using OpenTelemetry.Trace;
using SocketPeer.Actors.Diagnostics;

namespace SocketPeer.Gateway.Hosting;

/// <summary>
/// Whether spans are exported, decided by the standard <c>OTEL_*</c> variables alone
/// (docs/operations.md, "Tracing"): on when an OTLP endpoint is given
/// (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c> or <c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c>) or
/// <c>OTEL_TRACES_EXPORTER</c> names <c>otlp</c>; off when none is set, when
/// <c>OTEL_TRACES_EXPORTER</c> names no <c>otlp</c> (<c>none</c>, say), or when <c>OTEL_SDK_DISABLED</c>
/// is true. Off, no tracer provider exists: nothing listens to the <c>SocketPeer</c> source and no
/// span is ever started.
/// </summary>
public static class TracingExport
{
    public const string Endpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string TracesEndpoint = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";
    public const string TracesExporter = "OTEL_TRACES_EXPORTER";
    public const string SdkDisabled = "OTEL_SDK_DISABLED";

    /// <summary>The decision, from the configuration (the environment variables are part of it).</summary>
    public static bool IsOn(IConfiguration configuration)
    {
        if (string.Equals(configuration[SdkDisabled]?.Trim(), "true", StringComparison.OrdinalIgnoreCase)) return false;
        if (!string.IsNullOrWhiteSpace(configuration[TracesExporter]))
            return configuration[TracesExporter]!.Split(',', StringSplitOptions.TrimEntries)
                .Contains("otlp", StringComparer.OrdinalIgnoreCase);
        return !string.IsNullOrWhiteSpace(configuration[Endpoint]) || !string.IsNullOrWhiteSpace(configuration[TracesEndpoint]);
    }

    /// <summary>
    /// The <c>SocketPeer</c> spans to the OTLP exporter, which takes its endpoint, protocol and headers
    /// from the same variables; <c>OTEL_SERVICE_NAME</c> and <c>OTEL_RESOURCE_ATTRIBUTES</c> name the resource.
    /// </summary>
    public static void Configure(TracerProviderBuilder tracing) =>
        tracing.AddSource(SocketPeerTracing.SourceName).AddOtlpExporter();
}
