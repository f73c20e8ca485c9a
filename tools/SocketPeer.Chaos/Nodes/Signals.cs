using System.Runtime.InteropServices;

namespace SocketPeer.Chaos.Nodes;

/// <summary>
/// SIGTERM, which .NET has no API to send (<c>Process.Kill</c> is SIGKILL). It is what the kubelet
/// sends a pod and what makes the gateway stop gracefully (sockets closed with 1012, cluster left).
/// </summary>
internal static partial class Signals
{
    private const int SigTerm = 15;

    public static void Terminate(int pid)
    {
        if (Kill(pid, SigTerm) != 0)
            throw new InvalidOperationException($"kill({pid}, SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
