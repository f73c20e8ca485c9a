using System.Diagnostics;

namespace SocketPeer.Chaos.Faults;

/// <summary>
/// Busy loops that hold cores for the whole run (<c>--cpu-burners N</c>): every node and client then
/// runs late by whole scheduler slices, heartbeats and answers arrive seconds behind, and the rarer
/// orderings of a fault show up (docs/chaos.md, the starved-CPU runs). Each loop is a process of its
/// own, tracked like the nodes, so none outlives the harness.
/// </summary>
public sealed class CpuBurners : IDisposable
{
    private readonly List<Process> _loops = [];

    public static CpuBurners Start(int count)
    {
        var burners = new CpuBurners();
        for (var i = 0; i < count; i++)
        {
            var process = Process.Start(new ProcessStartInfo("sh", ["-c", "while :; do :; done"]) { UseShellExecute = false })
                ?? throw new InvalidOperationException("could not start a busy loop");
            ChildProcesses.Track(process);
            burners._loops.Add(process);
        }
        return burners;
    }

    /// <summary>The loops' process ids, for the report and the tests.</summary>
    public IReadOnlyList<int> Pids => [.. _loops.Select(p => p.Id)];

    public int Running => _loops.Count(p => !p.HasExited);

    public void Dispose()
    {
        foreach (var process in _loops)
        {
            ChildProcesses.Kill(process);
            process.Dispose();
        }
        _loops.Clear();
    }
}
