using System.Diagnostics;

namespace SocketPeer.Bench.Measurement;

/// <summary>
/// CPU used during one timed window by the server, by this client and by the rest of the machine.
/// On a two-core box shared by client and server (and at times by other people's test runs), the
/// server's own CPU per operation is the figure that survives; rates are bounded by the box.
/// </summary>
public sealed class CpuWindow
{
    private readonly int? _serverPid;
    private readonly IReadOnlyList<int> _otherPids;
    private readonly long _start = Stopwatch.GetTimestamp();
    private readonly Dictionary<int, long> _serverThreads = [];
    private readonly double _serverTicks;
    private readonly TimeSpan _client = Process.GetCurrentProcess().TotalProcessorTime;
    private readonly (double Busy, double Total) _machine = ProcFs.MachineCpu();

    private CpuWindow(int? serverPid, IReadOnlyList<int> otherPids)
    {
        _serverPid = serverPid;
        _otherPids = otherPids;
        if (serverPid is { } pid)
        {
            _serverThreads = ServerThreads(pid);
            _serverTicks = ServerCpuSeconds(pid);
        }
    }

    /// <param name="otherServerPids">The other nodes of a multi-node server: their CPU is the server's too.</param>
    public static CpuWindow Start(int? serverPid, IReadOnlyList<int>? otherServerPids = null) => new(serverPid, otherServerPids ?? []);

    /// <summary>Per-thread CPU of the server's processes (thread ids are unique across processes).</summary>
    private Dictionary<int, long> ServerThreads(int pid)
    {
        var threads = ProcFs.ThreadCpuNanosById(pid);
        foreach (var other in _otherPids)
            foreach (var (tid, nanos) in ProcFs.ThreadCpuNanosById(other))
                threads[tid] = nanos;
        return threads;
    }

    private double ServerCpuSeconds(int pid) => ProcFs.ProcessCpuSeconds(pid) + _otherPids.Sum(ProcFs.ProcessCpuSeconds);

    public CpuUsage Stop()
    {
        var seconds = Stopwatch.GetElapsedTime(_start).TotalSeconds;
        double? server = null, serverCoarse = null;
        if (_serverPid is { } pid)
        {
            server = ProcFs.ThreadCpuNanosBetween(_serverThreads, ServerThreads(pid)) / 1e9;
            serverCoarse = ServerCpuSeconds(pid) - _serverTicks;
        }
        var client = (Process.GetCurrentProcess().TotalProcessorTime - _client).TotalSeconds;
        var machine = ProcFs.MachineCpu();
        var machineBusy = machine.Busy - _machine.Busy;
        return new CpuUsage(seconds, server, serverCoarse, client, machineBusy, Environment.ProcessorCount);
    }
}

/// <param name="ServerSeconds">From per-thread schedstat (ns precision, live threads only).</param>
/// <param name="ServerCoarseSeconds">From /proc/PID/stat (10 ms ticks, exited threads included).</param>
public sealed record CpuUsage(double Seconds, double? ServerSeconds, double? ServerCoarseSeconds, double ClientSeconds,
    double MachineBusySeconds, int Cores)
{
    /// <summary>The server's CPU: schedstat, unless threads that exited mid-window make the coarse total clearly larger.</summary>
    public double? ServerCpu => ServerCoarseSeconds > ServerSeconds * 1.1 + 0.03 ? ServerCoarseSeconds : ServerSeconds;
    public double? ServerCores => ServerCpu / Seconds;
    public double ClientCores => ClientSeconds / Seconds;
    public double MachineBusyCores => MachineBusySeconds / Seconds;
    /// <summary>What neither the server nor this client used: other people's work on the box.</summary>
    public double OtherCores => Math.Max(0, MachineBusyCores - (ServerCores ?? 0) - ClientCores);

    public IEnumerable<string> Warnings()
    {
        if (MachineBusyCores >= 0.9 * Cores)
            yield return $"box saturated: {MachineBusyCores:0.00} of {Cores} cores busy (rates are bounded by the box; CPU per operation still holds)";
        if (OtherCores >= 0.2)
            yield return $"other processes used {OtherCores:0.00} cores during the window";
        if (ClientCores >= 0.9)
            yield return $"the client used {ClientCores:0.00} cores";
        if (ServerCoarseSeconds > ServerSeconds * 1.1 + 0.03)
            yield return $"server threads exited mid-window: CPU from /proc/PID/stat ({ServerCoarseSeconds:0.00} s) used over schedstat ({ServerSeconds:0.00} s)";
    }
}
