using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using SocketPeer.Bench.Client;

namespace SocketPeer.Bench.Servers;

/// <summary>
/// One server under test, started as its own process on 127.0.0.1 (so its CPU and memory can be read
/// from /proc), with its output in a log file. Disposing it kills it.
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan ReadyWithin = TimeSpan.FromSeconds(90);
    private readonly TaskCompletionSource<int> _port = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Process _process;
    private readonly StreamWriter _log;
    private TaskCompletionSource<string> _memoryLine = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServerProcess(TargetKind kind, Process process, string logPath, StreamWriter log)
    {
        Kind = kind;
        _process = process;
        LogPath = logPath;
        _log = log;
    }

    public TargetKind Kind { get; }
    public IPEndPoint Endpoint { get; private set; } = new(IPAddress.Loopback, 0);
    public int Pid => _process.Id;
    public string LogPath { get; }

    /// <summary>
    /// Starts <paramref name="launch"/> on 127.0.0.1 port 0, learns the port from the line the server
    /// prints, and waits until it answers its ready path. Port 0 rather than a port probed here: other
    /// test runs on this box bind loopback ports too, and a probed port can be taken before the server binds it.
    /// </summary>
    public static async Task<ServerProcess> StartAsync(TargetKind kind, ServerLaunch launch, CancellationToken cancel)
    {
        var start = launch.StartInfo();
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        start.UseShellExecute = false;
        var logDir = Path.Combine(Path.GetTempPath(), "socketpeer-bench");
        Directory.CreateDirectory(logDir);
        var logPath = Path.Combine(logDir, $"{kind.Name()}-{DateTime.UtcNow:HHmmss}-{Guid.NewGuid():N}"[..40] + ".log");
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new BenchException($"could not start {start.FileName}");
        ChildProcesses.Track(process);
        var server = new ServerProcess(kind, process, logPath, log);
        process.OutputDataReceived += (_, e) => server.OnOutput(e.Data);
        process.ErrorDataReceived += (_, e) => server.OnOutput(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitReadyAsync(launch.ReadyPath, cancel);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    /// <summary>For the Node server: asks it (on stdin) to collect garbage and report its memory.</summary>
    public async Task<(long RssBytes, long HeapBytes)?> NodeCollectAsync(TimeSpan timeout)
    {
        _memoryLine = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await _process.StandardInput.WriteLineAsync("gc");
        await _process.StandardInput.FlushAsync();
        try
        {
            var json = await _memoryLine.Task.WaitAsync(timeout);
            using var doc = JsonDocument.Parse(json);
            return (doc.RootElement.GetProperty("rss").GetInt64(), doc.RootElement.GetProperty("heapUsed").GetInt64());
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    private void OnOutput(string? line)
    {
        if (line is null) return;
        if (line.StartsWith("MEMORY ", StringComparison.Ordinal)) _memoryLine.TrySetResult(line["MEMORY ".Length..]);
        if (!_port.Task.IsCompleted && ListeningOn().Match(line) is { Success: true } m) _port.TrySetResult(int.Parse(m.Groups[1].Value));
        if (SocketCapLine().Match(line) is { Success: true } cap) SocketCap = int.Parse(cap.Groups[1].Value, CultureInfo.InvariantCulture);
        lock (_log) _log.WriteLine(line);
    }

    /// <summary>
    /// The WebSockets the gateway admits, as its start log says (docs/operations.md, "When a node is
    /// full"); past it, upgrades get 503. Null for a server that says nothing of the kind.
    /// </summary>
    public int? SocketCap { get; private set; }

    [GeneratedRegex(@"listening on:? (?:http://)?127\.0\.0\.1:(\d+)")]
    private static partial Regex ListeningOn();

    [GeneratedRegex(@"WebSockets capped at (\d+)")]
    private static partial Regex SocketCapLine();

    private async Task WaitReadyAsync(string readyPath, CancellationToken cancel)
    {
        var exited = _process.WaitForExitAsync(cancel);
        var listening = await Task.WhenAny(_port.Task, exited, Task.Delay(ReadyWithin, cancel));
        if (listening != _port.Task)
            throw new BenchException($"{Kind.Name()} did not say where it listens ({(_process.HasExited ? $"exited with {_process.ExitCode}" : "timeout")}); see {LogPath}");
        Endpoint = new IPEndPoint(IPAddress.Loopback, await _port.Task);
        using var http = new HttpClient { BaseAddress = new Uri($"http://{Endpoint}"), Timeout = TimeSpan.FromSeconds(5) };
        var until = DateTime.UtcNow + ReadyWithin;
        while (DateTime.UtcNow < until)
        {
            if (_process.HasExited)
                throw new BenchException($"{Kind.Name()} exited with {_process.ExitCode} while starting; see {LogPath}");
            try
            {
                using var response = await http.GetAsync(readyPath, cancel);
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancel.IsCancellationRequested)
            {
                // One probe timed out; try again.
            }
            await Task.Delay(200, cancel);
        }
        throw new BenchException($"{Kind.Name()} not ready after {ReadyWithin.TotalSeconds:0} s; see {LogPath}");
    }

    public ValueTask DisposeAsync()
    {
        ChildProcesses.Kill(_process);
        _process.Dispose();
        lock (_log) _log.Dispose();
        return ValueTask.CompletedTask;
    }
}
