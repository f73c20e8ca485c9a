using System.Diagnostics;
using System.Text.Json;
using SocketPeer.Bench.Client;
using SocketPeer.Bench.Servers;

namespace SocketPeer.Bench.Scale;

/// <summary>
/// The parent's end of one worker process (this bench's own dll with a worker verb): commands on its
/// stdin, JSON replies from its stdout, its stderr kept for the error message. Every wait is bounded;
/// disposing kills it, and <see cref="ChildProcesses"/> kills it too if the run ends any other way.
/// </summary>
public sealed class WorkerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _stderr = new();

    private WorkerProcess(Process process)
    {
        _process = process;
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) Remember(e.Data);
        };
        process.BeginErrorReadLine();
    }

    private void Remember(string line)
    {
        lock (_stderr)
        {
            _stderr.Enqueue(line);
            if (_stderr.Count > 20) _stderr.Dequeue();
        }
    }

    public int Pid => _process.Id;

    /// <param name="environment">Extra environment (the actor-layer worker runs with the gateway's GC settings).</param>
    public static WorkerProcess Start(string verb, IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet", [BuildPaths.BenchDll, verb, .. args])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>()) start.Environment[key] = value;
        var process = Process.Start(start) ?? throw new BenchException($"could not start the {verb} process");
        ChildProcesses.Track(process);
        return new WorkerProcess(process);
    }

    /// <summary>Waits for the worker's first line, which says it has started.</summary>
    public Task ReadyAsync(TimeSpan timeout, CancellationToken cancel) => ReadAsync<ReadyReply>("ready", timeout, cancel);

    /// <summary>Sends <paramref name="command"/> and waits (at most <paramref name="timeout"/>) for its reply.</summary>
    public async Task<T> AskAsync<T>(string command, TimeSpan timeout, CancellationToken cancel)
    {
        await _process.StandardInput.WriteLineAsync(command);
        await _process.StandardInput.FlushAsync(cancel);
        return await ReadAsync<T>(command, timeout, cancel);
    }

    /// <summary>The next reply, for a line the worker writes unasked (that it is ready).</summary>
    public async Task<T> ReadAsync<T>(string what, TimeSpan timeout, CancellationToken cancel)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        bounded.CancelAfter(timeout);
        string? line;
        try
        {
            // Replies are JSON objects; anything else that reached stdout is kept with the error output.
            while ((line = await _process.StandardOutput.ReadLineAsync(bounded.Token)) is not null && !line.StartsWith('{'))
                Remember(line);
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            throw new BenchException($"worker {Pid}: no answer to \"{what}\" within {timeout.TotalSeconds:0} s{Tail()}");
        }
        if (line is null) throw new BenchException($"worker {Pid} exited during \"{what}\"{Tail()}");
        using var reply = JsonDocument.Parse(line);
        if (reply.RootElement.TryGetProperty("error", out var error)) throw new BenchException($"worker {Pid}: {error.GetString()}");
        return reply.RootElement.Deserialize<T>(WorkerLoop.Json) ?? throw new BenchException($"worker {Pid}: empty reply to \"{what}\"");
    }

    private sealed record ReadyReply(bool Ready);

    private string Tail()
    {
        lock (_stderr) return _stderr.Count == 0 ? "" : ": " + string.Join(" | ", _stderr);
    }

    /// <summary>Kills it: a worker holds nothing worth a graceful exit (its sockets close with it), and an actor system's would take seconds.</summary>
    public ValueTask DisposeAsync()
    {
        ChildProcesses.Kill(_process);
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
