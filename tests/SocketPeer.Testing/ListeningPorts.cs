using System.Globalization;
using System.Runtime.InteropServices;

namespace SocketPeer.Testing;

/// <summary>
/// Makes a port of this process refuse connections at once, as the kernel does for a process that
/// has ended. An in-process stand-in for a crash shuts a node's remoting transport down, but that
/// closes the listener last, after every connection's close has completed, which on a loaded box can
/// take seconds (and with TLS, a close that waits on its peer, much longer): a "crashed" node that
/// still accepts connections is a frozen one, not a dead one. Linux only (procfs).
/// </summary>
public static class ListeningPorts
{
    private const string TcpListen = "0A";
    private const int ShutdownReadWrite = 2;

    /// <summary>
    /// Shuts down every listening socket of this process on <paramref name="port"/> (the sockets stay
    /// open for their owner to close; the kernel refuses new connections from now on). Returns how
    /// many were found.
    /// </summary>
    public static int Refuse(int port)
    {
        var inodes = ListeningInodes(port);
        var refused = 0;
        foreach (var fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            if (SocketInode(fd) is { } inode && inodes.Contains(inode) && int.TryParse(Path.GetFileName(fd), out var number)
                && shutdown(number, ShutdownReadWrite) == 0)
                refused++;
        }
        return refused;
    }

    /// <summary>The inodes of the sockets listening on the port, from the kernel's tables for both families.</summary>
    private static HashSet<string> ListeningInodes(int port)
    {
        var localPort = ":" + port.ToString("X4", CultureInfo.InvariantCulture);
        var inodes = new HashSet<string>();
        foreach (var table in new[] { "/proc/self/net/tcp", "/proc/self/net/tcp6" })
        {
            if (!File.Exists(table)) continue;
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 9 && fields[1].EndsWith(localPort, StringComparison.Ordinal) && fields[3] == TcpListen)
                    inodes.Add(fields[9]);
            }
        }
        return inodes;
    }

    /// <summary>"socket:[12345]" → "12345"; null for anything else (or a descriptor closed meanwhile).</summary>
    private static string? SocketInode(string fd)
    {
        try
        {
            var target = new FileInfo(fd).LinkTarget;
            return target is not null && target.StartsWith("socket:[", StringComparison.Ordinal) ? target[8..^1] : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int shutdown(int socket, int how);
}
