using System.Net;
using System.Net.Sockets;

namespace SocketPeer.Browser.Tests;

/// <summary>
/// A TCP forwarder on 127.0.0.1:0 in front of the server, whose connections the test can cut as a
/// lost network does: both ends get a TCP reset, nobody sends a WebSocket close frame. Before the
/// cut it can also lose what is in flight (<see cref="Blackhole"/>), both ways. New connections are
/// forwarded as before, so a client can come back through it.
/// </summary>
public sealed class CuttableProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private volatile Uri _target;
    private readonly List<(TcpClient Client, TcpClient Upstream)> _links = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private volatile bool _losing;

    public CuttableProxy(Uri target)
    {
        _target = target;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Where new connections go (open ones stay where they are), as a load balancer moves on from a stopping pod.</summary>
    public Uri Target
    {
        get => _target;
        set => _target = value;
    }

    /// <summary>The server's WebSocket endpoint, through this proxy.</summary>
    public string SocketUrl => $"ws://127.0.0.1:{Port}/socketpeer/";

    /// <summary>
    /// From now until <see cref="CutAll"/>, the bytes of open connections are read and thrown away,
    /// both ways: each side believes it sent them, as when a network dies before its connections
    /// notice.
    /// </summary>
    public void Blackhole() => _losing = true;

    /// <summary>Resets every connection open through the proxy now; later ones are forwarded again.</summary>
    public int CutAll()
    {
        (TcpClient, TcpClient)[] links;
        lock (_links)
        {
            links = [.. _links];
            _links.Clear();
        }
        foreach (var (client, upstream) in links)
        {
            Reset(client);
            Reset(upstream);
        }
        // Only now: a pipe that read bytes sent during the blackhole must not forward them in
        // between, which no real network does (it cannot lose bytes and then deliver later ones
        // on the same connection); the server would take a later message after a gap.
        _losing = false;
        return links.Length;
    }

    private static void Reset(TcpClient connection)
    {
        try
        {
            connection.Client.LingerState = new LingerOption(true, 0); // close → RST, not FIN
            connection.Close();
        }
        catch (ObjectDisposedException)
        {
        }
        catch (SocketException)
        {
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            var upstream = new TcpClient();
            try
            {
                var target = _target;
                await upstream.ConnectAsync(target.Host, target.Port, _stop.Token);
            }
            catch (Exception)
            {
                Reset(client);
                upstream.Dispose();
                continue;
            }
            lock (_links)
            {
                if (_losing)
                {
                    // Opened while the network is "down": it would never work.
                    Reset(client);
                    Reset(upstream);
                    continue;
                }
                _links.Add((client, upstream));
            }
            _ = PipeAsync(client, upstream);
            _ = PipeAsync(upstream, client);
        }
    }

    private async Task PipeAsync(TcpClient from, TcpClient to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            var source = from.GetStream();
            var target = to.GetStream();
            int read;
            var lost = false; // once a connection loses bytes it never forwards again
            while ((read = await source.ReadAsync(buffer)) > 0)
            {
                lost |= _losing;
                if (!lost) await target.WriteAsync(buffer.AsMemory(0, read));
            }
            to.Client.Shutdown(SocketShutdown.Send); // pass a clean end of stream on
        }
        catch (Exception)
        {
            // Cut, or the other side went away: the other pipe ends too.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        CutAll();
        await _accepting;
        _stop.Dispose();
    }
}
