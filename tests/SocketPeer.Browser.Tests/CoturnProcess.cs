using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SocketPeer.Browser.Tests;

/// <summary>
/// A real coturn (<c>/usr/bin/turnserver</c>, Debian's coturn; ./test.sh installs it) on 127.0.0.1 with
/// the TURN REST API shared secret (<c>use-auth-secret</c>), the scheme SocketPeer mints credentials for.
/// Needs no root: it listens on a free unprivileged port, writes only to its own temp directory (pid
/// file, SQLite user db) and logs to stdout, which is read to know when it listens and what it did.
/// Its lifetime is bounded twice: <see cref="DisposeAsync"/> kills it, and it runs under
/// <c>timeout</c>, so even a test host that dies without disposing leaves no coturn behind for long.
/// </summary>
public sealed class CoturnProcess : IAsyncDisposable
{
    public const string Executable = "/usr/bin/turnserver";
    public const string Realm = "socketpeer.test";
    private static readonly TimeSpan StartWithin = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly string _directory;
    private readonly List<string> _lines = [];
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> _waiters = [];
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private CoturnProcess(Process process, string directory, int port, int minPort, int maxPort, string secret, string commandLine)
    {
        _process = process;
        _directory = directory;
        Port = port;
        MinPort = minPort;
        MaxPort = maxPort;
        Secret = secret;
        CommandLine = commandLine;
    }

    /// <summary>The UDP (and TCP) port coturn listens on, on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>The range coturn allocates relay addresses (127.0.0.1:port) from.</summary>
    public int MinPort { get; }

    public int MaxPort { get; }

    /// <summary>The shared secret coturn checks credentials with.</summary>
    public string Secret { get; }

    public string CommandLine { get; }

    /// <summary>The URL to hand to clients (as SocketPeer's <c>Ice:TurnUrls</c>).</summary>
    public string UdpUrl => $"turn:127.0.0.1:{Port}?transport=udp";

    /// <summary>Every line coturn wrote so far (stdout and stderr).</summary>
    public string[] Lines
    {
        get
        {
            lock (_lines) return [.. _lines];
        }
    }

    /// <summary>
    /// Starts coturn and returns once its UDP listener is open (its own log line says so).
    /// Retries on a fresh port if the one picked was taken meanwhile.
    /// </summary>
    /// <param name="lifetime">Hard upper bound on how long the process may live.</param>
    public static async Task<CoturnProcess> StartAsync(string secret, TimeSpan lifetime)
    {
        if (!File.Exists(Executable))
            throw new InvalidOperationException($"{Executable} is missing: install Debian's coturn (./test.sh does)");
        Exception? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var coturn = Launch(secret, lifetime);
            try
            {
                await coturn.WaitForLineAsync(line => line.Contains($"UDP listener opened on: 127.0.0.1:{coturn.Port}"), StartWithin);
                return coturn;
            }
            catch (Exception e)
            {
                last = e;
                await coturn.DisposeAsync();
            }
        }
        throw new InvalidOperationException("coturn did not start", last);
    }

    private static CoturnProcess Launch(string secret, TimeSpan lifetime)
    {
        var port = FreeUdpAndTcpPort();
        // Relay ports come from below Linux's ephemeral range (32768+), where the listening port and
        // the browsers' sockets live; coturn skips any relay port that is taken.
        var minPort = 20_000 + Random.Shared.Next(0, 60) * 200;
        var maxPort = minPort + 199;
        var directory = Directory.CreateTempSubdirectory("socketpeer-coturn-").FullName;
        string[] args =
        [
            "--kill-after=5", $"{(int)Math.Ceiling(lifetime.TotalSeconds)}", Executable,
            "-n", // no configuration file
            "-v", // moderate logging: listener and session lines
            "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1", $"--listening-port={port}",
            $"--min-port={minPort}", $"--max-port={maxPort}",
            "--use-auth-secret", $"--static-auth-secret={secret}", $"--realm={Realm}",
            "--allow-loopback-peers", // the browsers' relay candidates are on 127.0.0.1 too
            "--no-tls", "--no-dtls", "--no-cli", "--fingerprint",
            "--log-file=stdout", "--simple-log",
            $"--pidfile={Path.Combine(directory, "turnserver.pid")}",
            $"--userdb={Path.Combine(directory, "turndb.sqlite")}",
        ];
        var start = new ProcessStartInfo("timeout")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var commandLine = "timeout " + string.Join(' ', args.Select(a => a.StartsWith("--static-auth-secret=") ? "--static-auth-secret=***" : a));
        var coturn = new CoturnProcess(process, directory, port, minPort, maxPort, secret, commandLine);
        process.OutputDataReceived += (_, e) => coturn.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => coturn.OnLine(e.Data);
        process.Exited += (_, _) => coturn._exited.TrySetResult();
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return coturn;
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        List<TaskCompletionSource<string>> found = [];
        lock (_lines)
        {
            _lines.Add(line);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (!_waiters[i].Match(line)) continue;
                found.Add(_waiters[i].Found);
                _waiters.RemoveAt(i);
            }
        }
        foreach (var tcs in found) tcs.TrySetResult(line);
    }

    /// <summary>The first line (already written or still to come) that matches; fails if coturn exits first.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan within)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lines)
        {
            var seen = _lines.FirstOrDefault(match);
            if (seen is not null) return seen;
            _waiters.Add((match, found));
        }
        try
        {
            var first = await Task.WhenAny(found.Task, _exited.Task).WaitAsync(within);
            if (first == found.Task) return await found.Task;
            // Exited: the line may still be in the pipe; the exit code tells the rest.
            await _process.WaitForExitAsync();
            lock (_lines)
            {
                var late = _lines.FirstOrDefault(match);
                if (late is not null) return late;
            }
            throw new InvalidOperationException($"coturn exited ({_process.ExitCode}) before the line came:\n{string.Join('\n', Lines.TakeLast(30))}");
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"coturn did not write the line within {within}:\n{string.Join('\n', Lines.TakeLast(30))}");
        }
        finally
        {
            lock (_lines) _waiters.RemoveAll(w => w.Found == found);
        }
    }

    /// <summary>A port free for both UDP and TCP on 127.0.0.1 (coturn listens on both).</summary>
    private static int FreeUdpAndTcpPort()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            tcp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)tcp.LocalEndPoint!).Port;
            try
            {
                using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                udp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
                // Taken for UDP: try another.
            }
        }
        throw new InvalidOperationException("no port free for both UDP and TCP");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }
        catch (TimeoutException)
        {
            // Left to `timeout`'s bound.
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
