namespace SocketPeer.Bench.Measurement;

/// <summary>
/// Waits (bounded) until the rest of the machine is quiet before a timed window: other engineers run
/// test suites on this two-core box, and a window that shares it with them measures them too.
/// </summary>
public static class QuietWait
{
    private static readonly TimeSpan Sample = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Samples the machine's busy cores, less the server's and this client's, until they drop below
    /// <paramref name="quietCores"/> or <paramref name="maxWait"/> passes.
    /// </summary>
    /// <returns>How long it waited and the other load seen in the last sample (cores).</returns>
    public static async Task<(double WaitedSeconds, double OtherCores)> UntilQuietAsync(int? serverPid, double quietCores,
        TimeSpan maxWait, Action<string> say, CancellationToken cancel)
    {
        var started = DateTime.UtcNow;
        var announced = false;
        while (true)
        {
            var window = CpuWindow.Start(serverPid);
            await Task.Delay(Sample, cancel);
            var other = window.Stop().OtherCores;
            var waited = (DateTime.UtcNow - started).TotalSeconds;
            if (other < quietCores || waited >= maxWait.TotalSeconds)
                return (Math.Round(waited, 1), Math.Round(other, 2));
            if (!announced)
            {
                say($"  waiting for a quiet box: others use {other:0.00} cores (load {string.Join(' ', ProcFs.LoadAverage())}), up to {maxWait.TotalSeconds:0} s");
                announced = true;
            }
        }
    }

    /// <summary>Waits until the server itself is idle (cleanup of the previous scenario done), at most <paramref name="maxWait"/>.</summary>
    public static async Task UntilServerIdleAsync(int? serverPid, TimeSpan maxWait, CancellationToken cancel)
    {
        if (serverPid is not { } pid) return;
        var until = DateTime.UtcNow + maxWait;
        while (DateTime.UtcNow < until)
        {
            var before = ProcFs.ThreadCpuNanosById(pid);
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancel);
            if (ProcFs.ThreadCpuNanosBetween(before, ProcFs.ThreadCpuNanosById(pid)) / 0.5e9 < 0.05) return;
        }
    }
}
