using System.Text.Json;
using System.Text.Json.Serialization;
using SocketPeer.Chaos.Cli;

namespace SocketPeer.Chaos.Report;

/// <summary>What a run measured and which promises held; printed as text and written as JSON.</summary>
public sealed class ChaosReport
{
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public string Command { get; set; } = "";
    public DateTime StartedAtUtc { get; set; }
    public string? GitCommit { get; set; }
    public int Cores { get; set; } = Environment.ProcessorCount;
    /// <summary>/proc/loadavg at the start and the end: the machine may be shared, and a loaded one stretches every timing.</summary>
    public string? LoadAtStart { get; set; } = LoadAverage();
    public string? LoadAtEnd { get; set; }

    public static string? LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return null;
        }
    }
    public required ChaosSettings Settings { get; init; }
    /// <summary>False when the nodes answered the resume extension with <c>unknown-type</c>.</summary>
    public bool ServerHasResume { get; set; }

    public List<FaultEvent> Events { get; } = [];
    public int Pairs { get; set; }
    public List<int> PairsLost { get; set; } = [];
    /// <summary>Pair-faults in which a client of the pair lost its socket (summed over faults).</summary>
    public int PairsDisconnected { get; set; }
    /// <summary>Every pair except those the fault made stuck, both directions summed.</summary>
    public DirectionStats Messages { get; set; } = DirectionStats.Zero;
    /// <summary>The pairs with a stuck client (stuck-consumer only); no promise covers them.</summary>
    public DirectionStats? StuckPairMessages { get; set; }
    public List<DirectionVerdict> Imperfect { get; set; } = [];
    public RecoveryFigures? Recovery { get; set; }
    /// <summary>The same figures per kind of client (one entry per kind the run used), with the busy answers.</summary>
    public List<KindFigures> ByKind { get; set; } = [];
    public LatencyFigures? Latency { get; set; }
    public ClientFigures Clients { get; set; } = new();
    public List<NodeRun> Nodes { get; set; } = [];
    public List<Promise> Promises { get; set; } = [];
    public string? Error { get; set; }
    public double DurationSeconds { get; set; }
    public string? NodeLogs { get; set; }

    [JsonIgnore] public IEnumerable<Promise> Broken => Promises.Where(p => !p.Held);
    [JsonIgnore] public int ExitCode => Error is not null ? 2 : Broken.Any() ? 1 : 0;

    public async Task WriteJsonAsync(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(this, Json) + "\n");
    }
}

/// <summary>One thing the harness did to the cluster, at a time on the run's clock.</summary>
public sealed record FaultEvent(double AtMs, string What, int? Node)
{
    /// <summary>When the fault's effects may begin, if before <see cref="AtMs"/> (kill -9: the signal, before the reaping).</summary>
    public double? EffectFromMs { get; set; }
    /// <summary>SIGTERM (or SIGKILL) to the process's exit.</summary>
    public double? StopMs { get; set; }
    public string? Outcome { get; set; }
    /// <summary>A restarted node: start to ready.</summary>
    public double? ReadyMs { get; set; }
    /// <summary>Whether this event is one that pairs must recover from (recovery is measured from it).</summary>
    public bool Disruptive { get; set; } = true;
    public double? RecoveryMaxMs { get; set; }
    public double? RecoveryP50Ms { get; set; }
    public int? PairsNotRecovered { get; set; }
    public double? RecoveryP99Ms { get; set; }
    /// <summary>Pairs this fault touched (a dropped socket, a stalled relay, or never relaying again).</summary>
    public int? PairsTouched { get; set; }
    /// <summary><c>busy</c> answers between this fault and the next (or the end), to anyone.</summary>
    public int? Busy { get; set; }
    /// <summary>The part of <see cref="Busy"/> that went to clients of pairs this fault touched.</summary>
    public int? BusyToTouched { get; set; }
}

public sealed record DirectionVerdict(int Pair, string Direction, DirectionStats Stats, string Lost);

public sealed record RecoveryFigures(double? MaxMs, double? P50Ms, int Samples, int NotRecovered)
{
    public double? P99Ms { get; init; }
}

public sealed record LatencyFigures(double P50Ms, double P99Ms, double MaxMs, long Count);

public sealed record NodeRun(string Node, int Pid, double StartedAtMs, string Outcome)
{
    /// <summary>The gateway it ran: "current" (this build) or an earlier release's commit (an upgrade rehearsal).</summary>
    public string Build { get; init; } = "current";
}

public sealed record Promise(string Name, bool Held, string Detail);

public sealed class ClientFigures
{
    public int Connects { get; set; }
    public int ConnectFailures { get; set; }
    public int PeerFound { get; set; }
    public int PeerLeft { get; set; }
    public int ResumeAttempts { get; set; }
    public int Resumed { get; set; }
    public int ResumeFailed { get; set; }
    public int ResumeUnanswered { get; set; }
    public int Resent { get; set; }
    public int Abandoned { get; set; }
    public int ProtocolDuplicates { get; set; }
    public SortedDictionary<string, int> ServerErrors { get; set; } = [];
    public SortedDictionary<string, int> Ignored { get; set; } = [];
    public SortedDictionary<string, int> ResumedStates { get; set; } = [];
    public SortedDictionary<string, int> Closes { get; set; } = [];
}
