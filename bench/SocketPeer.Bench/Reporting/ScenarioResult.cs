using SocketPeer.Bench.Measurement;

namespace SocketPeer.Bench.Reporting;

/// <summary>
/// One scenario against one server, once. Every figure is from inside the timed window unless its
/// name says otherwise; what does not apply to a scenario stays null (and out of the JSON).
/// </summary>
public sealed class ScenarioResult
{
    public required string Target { get; init; }
    public required string Scenario { get; init; }
    /// <summary>For example the GC mode of an idle-footprint run.</summary>
    public string? Variant { get; init; }
    public int Repeat { get; init; }

    /// <summary>Why this server cannot run this scenario (its protocol lacks it); nothing else is set.</summary>
    public string? Unsupported { get; set; }
    public string? Failed { get; set; }
    public string? Caveat { get; set; }

    public double WindowSeconds { get; set; }
    /// <summary>What one operation is: a pairing, a received message, an idle socket.</summary>
    public string? OperationUnit { get; set; }
    public long Operations { get; set; }
    public double? OperationsPerSecond { get; set; }
    public double? ExchangesPerSecond { get; set; }
    public LatencySummary? Latency { get; set; }
    /// <summary>Signalling: from the offer's send to the last candidate's receipt.</summary>
    public LatencySummary? ExchangeLatency { get; set; }

    public long? Sent { get; set; }
    public long? Lost { get; set; }
    public long? Duplicated { get; set; }
    public long? OutOfOrder { get; set; }
    public long? ClosedByServer { get; set; }
    public long? UnexpectedMessages { get; set; }
    public string? FirstUnexpectedMessage { get; set; }
    public long? Skipped { get; set; }

    public double? ServerCpuSeconds { get; set; }
    public double? ServerCpuUsPerOperation { get; set; }
    public double? ClientCpuUsPerOperation { get; set; }
    public double? ServerCores { get; set; }
    public double? ClientCores { get; set; }
    public double? MachineBusyCores { get; set; }
    public double? OtherCores { get; set; }

    public double? QuietWaitSeconds { get; set; }
    public double? OtherCoresBeforeWindow { get; set; }
    public double[]? LoadAverageBefore { get; set; }

    public MemoryFootprint? Memory { get; set; }
    /// <summary>The scale scenario at one size.</summary>
    public ScaleFigures? Scale { get; set; }
    /// <summary>The scale scenario's actor layer alone.</summary>
    public ActorLayerFigures? ActorLayer { get; set; }
    /// <summary>Idle: the server's CPU with the sockets idle (<c>--idle-seconds</c>).</summary>
    public IdleCpu? IdleCpu { get; set; }
    [System.Text.Json.Serialization.JsonObjectCreationHandling(System.Text.Json.Serialization.JsonObjectCreationHandling.Populate)]
    public List<string> Warnings { get; } = [];

    /// <summary>Takes the CPU figures of a window with <paramref name="operations"/> done in it.</summary>
    public void Account(CpuUsage usage, long operations)
    {
        WindowSeconds = Math.Round(usage.Seconds, 3);
        Operations = operations;
        OperationsPerSecond = Math.Round(operations / usage.Seconds, 1);
        ServerCpuSeconds = usage.ServerCpu is { } s ? Math.Round(s, 3) : null;
        ServerCores = usage.ServerCores is { } c ? Math.Round(c, 3) : null;
        ClientCores = Math.Round(usage.ClientCores, 3);
        MachineBusyCores = Math.Round(usage.MachineBusyCores, 3);
        OtherCores = Math.Round(usage.OtherCores, 3);
        if (operations > 0)
        {
            ServerCpuUsPerOperation = usage.ServerCpu is { } cpu ? Math.Round(cpu * 1e6 / operations, 2) : null;
            ClientCpuUsPerOperation = Math.Round(usage.ClientSeconds * 1e6 / operations, 2);
        }
        Warnings.AddRange(usage.Warnings());
    }
}

/// <summary>The server's own CPU over a window in which <paramref name="Sockets"/> paired sockets sat idle.</summary>
/// <param name="ServerCores">The server process's CPU seconds per second.</param>
/// <param name="MachineBusyCores">Everything on the box, the server included: how busy the window was.</param>
public sealed record IdleCpu(int Sockets, double Seconds, double ServerCores, double MachineBusyCores, double[] LoadAverageAfter)
{
    /// <summary>Server cores per 10,000 idle sockets (issue #18's unit).</summary>
    public double CoresPer10kSockets => Sockets > 0 ? Math.Round(ServerCores * 10_000 / Sockets, 4) : 0;
}

/// <summary>Server memory before and after N idle paired sockets; per-socket figures divide by 2 × pairs.</summary>
public sealed record MemoryFootprint(
    int Sockets,
    long RssBeforeKb,
    long RssAfterBeforeGcKb,
    long RssAfterKb,
    long? HeapBeforeBytes,
    long? HeapAfterBytes,
    int ThreadsBefore,
    int ThreadsAfter)
{
    public double RssPerSocketKb => Math.Round((double)(RssAfterKb - RssBeforeKb) / Sockets, 2);
    public double RssPerSocketBeforeGcKb => Math.Round((double)(RssAfterBeforeGcKb - RssBeforeKb) / Sockets, 2);
    public double? HeapPerSocketKb => HeapAfterBytes - HeapBeforeBytes is { } d ? Math.Round(d / 1024.0 / Sockets, 2) : null;
}
