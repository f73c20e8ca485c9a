using System.Diagnostics;
using System.Reflection;
using System.Text;
using SocketPeer.Testing;

namespace SocketPeer.Gateway.Tests.Capacity;

/// <summary>
/// The real gateway (<c>dotnet SocketPeer.Gateway.dll</c>) as a process of its own, under an
/// open-files limit set with <c>prlimit</c>: what it can hold depends on the process's limits, which
/// a host inside the test process would share with the test runner. Disposing kills it.
/// </summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    private static readonly TimeSpan ListeningWithin = TimeSpan.FromSeconds(60);
    private const string ListeningLine = "Now listening on: ";

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private GatewayProcess(Process process) => _process = process;

    public Uri Http { get; private set; } = null!;

    public Uri Socket => new UriBuilder(Http) { Scheme = "ws", Path = "/socketpeer/" }.Uri;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything it wrote so far (its console log).</summary>
    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>Starts the gateway with <paramref name="openFiles"/> as its soft and hard limit; returns once it listens.</summary>
    public static async Task<GatewayProcess> StartAsync(int openFiles, params string[] settings)
    {
        var dll = typeof(GatewayProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "GatewayDll").Value!;
        Assert.True(File.Exists(dll), $"{dll} is not built");
        // Every connection comes from 127.0.0.1: the per-address limits are lifted as SocketPeerServer lifts them.
        string[] args =
        [
            $"--nofile={openFiles}:{openFiles}", "--", "dotnet", dll,
            "--urls", "http://127.0.0.1:0", "--SocketPeer:Cluster:Port=0", "--SocketPeer:Ice:DefaultStun=false",
            "--SocketPeer:ConnectionsPerAddress=100000",
            .. SocketPeerServer.LiftedRateLimits.Select(key => $"--SocketPeer:{key}=100000"),
            .. settings,
        ];
        var start = new ProcessStartInfo("prlimit", args)
        {
            // The content root, so the node reads its own appsettings.json (log levels).
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // prlimit execs dotnet in place: the pid is the gateway's.
        var process = Process.Start(start) ?? throw new InvalidOperationException("prlimit did not start");
        var gateway = new GatewayProcess(process);
        process.OutputDataReceived += (_, e) => gateway.Read(e.Data);
        process.ErrorDataReceived += (_, e) => gateway.Read(e.Data);
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => gateway._listening.TrySetException(
            new Xunit.Sdk.XunitException($"the gateway exited before it listened:\n{gateway.Output}"));
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            gateway.Http = await gateway._listening.Task.WaitAsync(ListeningWithin);
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }
        return gateway;
    }

    private void Read(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
        var at = line.IndexOf(ListeningLine, StringComparison.Ordinal);
        if (at >= 0) _listening.TrySetResult(new Uri(line[(at + ListeningLine.Length)..].Trim()));
    }

    public HttpClient CreateHttpClient() => new() { BaseAddress = Http, Timeout = TestClient.Timeout };

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
