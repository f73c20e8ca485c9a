using System.Net;
using System.Net.Sockets;

namespace SocketPeer.Chaos.Nodes;

/// <summary>
/// Loopback ports for the nodes. They must be fixed before a node starts (the seed list names node 0's
/// remoting port, and a restarted node comes back on the same ports, as a pod keeps its name), so
/// they cannot be port 0. Asked from the kernel, then released: another process could take one in
/// between, in which case that node fails to start and the run says so.
/// </summary>
public static class FreePorts
{
    public static int[] Take(int count)
    {
        var listeners = new List<TcpListener>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                listeners.Add(listener);
            }
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            foreach (var listener in listeners) listener.Stop();
        }
    }
}
