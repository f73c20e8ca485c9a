using System.Diagnostics;

namespace SocketPeer.Chaos.Nodes;

/// <summary>
/// One run of the real gateway (<c>dotnet SocketPeer.Gateway.dll</c>) for a <see cref="NodeSpec"/>,
/// with its output appended to the node's log file. A restart is a new <see cref="NodeProcess"/> on
/// the same spec. Disposing kills it.
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private NodeProcess(NodeSpec spec, GatewayBuild build, Process process, StreamWriter log)
    {
        Spec = spec;
        Build = build;
        _process = process;
        _log = log;
        StartedAt = DateTime.UtcNow;
    }

    public NodeSpec Spec { get; }
    /// <summary>The gateway this process runs: this build, or an earlier release's in an upgrade rehearsal.</summary>
    public GatewayBuild Build { get; }
    public int Pid => _process.Id;
    public DateTime StartedAt { get; }
    public bool HasExited => _process.HasExited;
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>How this run ended: "running", "exit 0", "SIGKILL" (137) …</summary>
    public string Outcome => !_process.HasExited ? "running" : _process.ExitCode switch
    {
        137 => "exit 137 (SIGKILL)",
        143 => "exit 143 (SIGTERM, not handled)",
        var code => $"exit {code}",
    };

    public static NodeProcess Start(NodeSpec spec, GatewayBuild build, IReadOnlyDictionary<string, string> environment, string logPath)
    {
        var dll = build.Dll;
        if (!File.Exists(dll))
            throw new ChaosException(build.IsCurrent
                ? $"{dll} is not built: dotnet build -c Release src/Gateway"
                : $"{dll} does not exist: --upgrade-from wants the folder of a published gateway (dotnet publish src/Gateway -o DIR)");
        ProcessStartInfo start = spec.Namespace is null
            ? new("dotnet", [dll])
            // ip execs dotnet in place, so the pid is the gateway's and signals reach it directly.
            : new("ip", ["netns", "exec", spec.Namespace, "dotnet", dll]);
        // The content root, so the node reads its own appsettings.json (logging levels).
        start.WorkingDirectory = Path.GetDirectoryName(dll)!;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        foreach (var (key, value) in environment) start.Environment[key] = value;
        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        log.WriteLine($"==== {DateTime.UtcNow:O} start {spec.Name} {spec.HttpBase} {spec.AkkaAddress} build {build.Name} ({dll})");
        var process = Process.Start(start) ?? throw new ChaosException($"could not start {start.FileName}");
        ChildProcesses.Track(process);
        var node = new NodeProcess(spec, build, process, log);
        process.OutputDataReceived += (_, e) => node.Log(e.Data);
        process.ErrorDataReceived += (_, e) => node.Log(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return node;
    }

    /// <summary>Polls <c>/ready</c> until it answers 200; throws if the process exits or time runs out.</summary>
    public async Task WaitReadyAsync(TimeSpan within, CancellationToken cancel)
    {
        using var http = new HttpClient { BaseAddress = Spec.HttpBase, Timeout = TimeSpan.FromSeconds(3) };
        var until = DateTime.UtcNow + within;
        while (DateTime.UtcNow < until)
        {
            if (_process.HasExited) throw new ChaosException($"{Spec.Name} exited with {_process.ExitCode} while starting");
            if (await NodeHealth.IsReadyAsync(http, cancel)) return;
            // Polling, as a readiness probe does: the node has no way to tell us when it is ready.
            await Task.Delay(200, cancel);
        }
        throw new ChaosException($"{Spec.Name} not ready after {within.TotalSeconds:0} s");
    }

    /// <summary>SIGKILL: the node vanishes mid-sentence, as with a crashed pod or a lost machine.</summary>
    public void Kill9()
    {
        Log($"==== {DateTime.UtcNow:O} harness: SIGKILL");
        ChildProcesses.Kill(_process);
    }

    /// <summary>SIGTERM: what the kubelet sends after preStop. The node closes sockets with 1012 and leaves.</summary>
    public void Terminate()
    {
        Log($"==== {DateTime.UtcNow:O} harness: SIGTERM");
        if (!_process.HasExited) Signals.Terminate(_process.Id);
    }

    /// <summary>Waits up to <paramref name="within"/> for the exit; false if still running.</summary>
    public async Task<bool> WaitExitAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
            ChildProcesses.Forget(_process);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void Log(string? line)
    {
        if (line is null) return;
        lock (_log) _log.WriteLine(line);
    }

    public ValueTask DisposeAsync()
    {
        ChildProcesses.Kill(_process);
        // Let the output readers finish before the log closes.
        _process.WaitForExit();
        _process.Dispose();
        lock (_log) _log.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>A run cannot go on (a node that never got ready, a gateway that is not built).</summary>
public sealed class ChaosException(string message) : Exception(message);
