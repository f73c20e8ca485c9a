using System.Collections.Concurrent;
using System.Diagnostics;

namespace SocketPeer.Tools;

/// <summary>
/// Every process a harness (the benchmark, the chaos runner) started, so that none outlives it: each
/// is killed when its run ends, and also on Ctrl-C, on an unhandled exception and at process exit.
/// One source file compiled into both tools (linked from their projects), not a library of its own.
/// </summary>
public static class ChildProcesses
{
    private static readonly ConcurrentDictionary<int, Process> Running = new();
    private static int _hooked;

    public static void Track(Process process)
    {
        if (Interlocked.Exchange(ref _hooked, 1) == 0)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
            AppDomain.CurrentDomain.UnhandledException += (_, _) => KillAll();
        }
        Running[process.Id] = process;
    }

    public static void Forget(Process process) => Running.TryRemove(process.Id, out _);

    /// <summary>SIGKILL, then waits for the exit so the ports are free again.</summary>
    public static void Kill(Process process)
    {
        Forget(process);
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
    }

    public static void KillAll()
    {
        foreach (var process in Running.Values) Kill(process);
    }
}
