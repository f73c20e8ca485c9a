using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using SocketPeer.Bench.Cli;
using SocketPeer.Bench.Measurement;

namespace SocketPeer.Bench.Reporting;

/// <summary>One run of the harness, as written to bench/results/*.json.</summary>
public sealed class RunReport
{
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public string Tool { get; init; } = "SocketPeer.Bench";
    public DateTime StartedAtUtc { get; init; } = DateTime.UtcNow;
    public double DurationSeconds { get; set; }
    public required string Command { get; init; }
    public required MachineInfo Machine { get; init; }
    public required GitState Git { get; init; }
    public required BenchSettings Settings { get; init; }
    public List<ScenarioResult> Results { get; } = [];
    public List<SummaryValue> Summary { get; set; } = [];
    public List<Ratio> Ratios { get; set; } = [];
    /// <summary>Not measured yet, and why (kept in the results so nobody reads an absence as a pass).</summary>
    public List<string> NotMeasured { get; } = [];
    /// <summary>The scale scenario's goals and projection (<see cref="ScaleReport"/>), when it ran.</summary>
    public List<string> Scale { get; set; } = [];

    /// <summary>The results of earlier runs' JSON files, to summarize together (the <c>report</c> command).</summary>
    public static async Task<List<ScenarioResult>> ReadResultsAsync(string path)
    {
        await using var file = File.OpenRead(path);
        using var doc = await JsonDocument.ParseAsync(file);
        return doc.RootElement.GetProperty("results").Deserialize<List<ScenarioResult>>(Json) ?? [];
    }

    public void Finish(TimeSpan elapsed)
    {
        DurationSeconds = Math.Round(elapsed.TotalSeconds, 1);
        (Summary, Ratios) = Summarizer.Summarize(Results);
        Scale = ScaleReport.Lines(Results);
    }

    public async Task WriteAsync(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await using var file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, this, Json);
    }
}

/// <summary>Which code was measured: the commit and how many files under src/ differed from it.</summary>
public sealed record GitState(string? Commit, int? DirtySourceFiles)
{
    public static GitState Read(string repoRoot)
    {
        var commit = Git(repoRoot, "rev-parse --short HEAD")?.Trim();
        var dirty = Git(repoRoot, "status --porcelain -- src")?.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        return new GitState(commit, dirty);
    }

    private static string? Git(string root, string arguments)
    {
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", $"-C \"{root}\" {arguments}")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (git is null) return null;
            var output = git.StandardOutput.ReadToEnd();
            return git.WaitForExit(10_000) && git.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
