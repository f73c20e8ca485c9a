using SocketPeer.Bench.Scenarios;

namespace SocketPeer.Bench.Reporting;

/// <summary>
/// The figures the table and the ratios are made of. <see cref="TargetRatio"/> is issue 7's target for
/// ours ÷ the raw Kestrel relay in the same run (lower is better for every targeted figure).
/// </summary>
public sealed record Metric(string Scenario, string Name, Func<ScenarioResult, double?> Read, bool HigherIsBetter = false,
    double? TargetRatio = null, string? Variant = null)
{
    public static readonly IReadOnlyList<Metric> All =
    [
        new(PairingStorm.Name, "pairings/s", r => r.OperationsPerSecond, HigherIsBetter: true),
        new(PairingStorm.Name, "server CPU µs/pairing", r => r.ServerCpuUsPerOperation, TargetRatio: 2.0),
        new(PairingStorm.Name, "pairing p50 µs", r => r.Latency?.P50Us),
        new(PairingStorm.Name, "pairing p99 µs", r => r.Latency?.P99Us),

        new(SignallingScenario.Name, "signal p50 µs", r => r.Latency?.P50Us),
        new(SignallingScenario.Name, "signal p99 µs", r => r.Latency?.P99Us),
        new(SignallingScenario.Name, "exchange p99 µs", r => r.ExchangeLatency?.P99Us),
        new(SignallingScenario.Name, "server CPU µs/msg", r => r.ServerCpuUsPerOperation),

        new(RelayScenario.ClosedName, "msgs/s", r => r.OperationsPerSecond, HigherIsBetter: true),
        new(RelayScenario.ClosedName, "server CPU µs/msg", r => r.ServerCpuUsPerOperation, TargetRatio: 1.5),
        new(RelayScenario.ClosedName, "client CPU µs/msg", r => r.ClientCpuUsPerOperation),
        new(RelayScenario.ClosedName, "p99 µs", r => r.Latency?.P99Us),

        new(RelayScenario.OpenName, "p50 µs", r => r.Latency?.P50Us),
        new(RelayScenario.OpenName, "p99 µs", r => r.Latency?.P99Us, TargetRatio: 1.5),
        new(RelayScenario.OpenName, "p99.9 µs", r => r.Latency?.P999Us),
        new(RelayScenario.OpenName, "server CPU µs/msg", r => r.ServerCpuUsPerOperation),
        new(RelayScenario.OpenName, "lost+dup+reordered", r => r.Lost + r.Duplicated + r.OutOfOrder),

        new(IdleFootprint.Name, "RSS KB/socket", r => r.Memory?.RssPerSocketKb, TargetRatio: 1.0, Variant: IdleVariants.Default),
        new(IdleFootprint.Name, "heap KB/socket", r => r.Memory?.HeapPerSocketKb, Variant: IdleVariants.Default),
        new(IdleFootprint.Name, "idle server cores", r => r.IdleCpu?.ServerCores, TargetRatio: 2.0, Variant: IdleVariants.Default),
        new(IdleFootprint.Name, "RSS KB/socket", r => r.Memory?.RssPerSocketKb, Variant: IdleVariants.Workstation),
        new(IdleFootprint.Name, "heap KB/socket", r => r.Memory?.HeapPerSocketKb, Variant: IdleVariants.Workstation),
    ];

    /// <summary>
    /// <see cref="All"/>, then the scale scenario's figures for each size the results hold (in the
    /// order the sizes were run), then the actor layer's.
    /// </summary>
    public static IEnumerable<Metric> For(IReadOnlyList<ScenarioResult> results)
    {
        foreach (var metric in All) yield return metric;
        var sizes = results.Where(r => r.Scenario == ScaleScenario.Name && r.Variant is not null)
            .Select(r => r.Variant!).Distinct().OrderBy(SizeOrder);
        foreach (var size in sizes)
            foreach (var metric in Scale(size))
                yield return metric;
        foreach (var metric in ActorLayer) yield return metric;
    }

    /// <summary>The sizes in the order they were run: empty, then by socket count, then max.</summary>
    private static int SizeOrder(string label) => label switch
    {
        ScaleScenario.EmptyLabel => -1,
        "max" => int.MaxValue,
        _ => int.TryParse(label, out var n) ? n : int.MaxValue - 1,
    };

    private static IEnumerable<Metric> Scale(string size) =>
    [
        new(ScaleScenario.Name, "sockets", r => r.Scale?.Sockets, Variant: size),
        new(ScaleScenario.Name, "pairings/s", r => r.Scale?.PairingsPerSecond, HigherIsBetter: true, Variant: size),
        new(ScaleScenario.Name, "server CPU µs/pairing", r => r.Scale?.ConnectServerCpuUsPerPairing, Variant: size),
        new(ScaleScenario.Name, "RSS KB/socket", r => r.Memory?.RssPerSocketKb, Variant: size),
        new(ScaleScenario.Name, "heap KB/socket", r => r.Memory?.HeapPerSocketKb, Variant: size),
        new(ScaleScenario.Name, "idle server cores", r => r.Scale?.IdleServerCores, Variant: size),
        new(ScaleScenario.Name, "idle CPU µs/s per socket", r => r.Scale?.IdleCpuUsPerSocketSecond, Variant: size),
        new(ScaleScenario.Name, "relay p50 µs", r => r.Latency?.P50Us, Variant: size),
        new(ScaleScenario.Name, "relay p99 µs", r => r.Latency?.P99Us, Variant: size),
        new(ScaleScenario.Name, "relay lost+dup+reordered", r => r.Lost + r.Duplicated + r.OutOfOrder, Variant: size),
    ];

    private static readonly Metric[] ActorLayer =
    [
        new(ActorLayerScenario.Name, "sessions", r => r.ActorLayer?.Sessions),
        new(ActorLayerScenario.Name, "sessions attached/s", r => r.ActorLayer?.AttachesPerSecond, HigherIsBetter: true),
        new(ActorLayerScenario.Name, "pairings/s", r => r.ActorLayer?.PairingsPerSecond, HigherIsBetter: true),
        new(ActorLayerScenario.Name, "heap KB/session", r => r.ActorLayer?.HeapPerSessionKb),
        new(ActorLayerScenario.Name, "heap KB/room", r => r.ActorLayer?.HeapPerRoomKb),
        new(ActorLayerScenario.Name, "RSS KB/session", r => r.ActorLayer?.RssPerSessionKb),
        new(ActorLayerScenario.Name, "RSS KB/room", r => r.ActorLayer?.RssPerRoomKb),
        new(ActorLayerScenario.Name, "idle CPU cores", r => r.ActorLayer?.IdleCores),
        new(ActorLayerScenario.Name, "relay p50 µs", r => r.Latency?.P50Us),
        new(ActorLayerScenario.Name, "relay p99 µs", r => r.Latency?.P99Us),
        new(ActorLayerScenario.Name, "relay lost+dup+reordered", r => r.Lost + r.Duplicated + r.OutOfOrder),
    ];

    public string Label => Variant is null ? $"{Scenario}: {Name}" : $"{Scenario} ({Variant}): {Name}";

    public bool Matches(ScenarioResult r) => r.Scenario == Scenario && (Variant is null || r.Variant == Variant);
}

public static class IdleVariants
{
    /// <summary>Each server's own GC setting: Server GC for both .NET servers (the Web SDK's default), V8 for Node.</summary>
    public const string Default = "default GC";
    public const string Workstation = "DOTNET_gcServer=0";
}
