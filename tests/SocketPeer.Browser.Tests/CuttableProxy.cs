using System.Net;
using System.Net.Sockets;

namespace SocketPeer.Browser.Tests;

/// <summary>
/// A TCP forwarder on 127.0.0.1:0 in front of the server, whose connections the test can cut as a
/// lost network does: both ends get a TCP reset, nobody sends a WebSocket close frame. New
/// connections are forwarded as before, so a client can come back through it.
/// </summary>
public sealed class CuttableProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Uri _target;
    private readonly List<(TcpClient Client, TcpClient Upstream)> _links = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public CuttableProxy(Uri target)
    {
        _target = target;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The server's WebSocket endpoint, through this proxy.</summary>
    public string SocketUrl => $"ws://127.0.0.1:{Port}/socketpeer/";

    /// <summary>Resets every connection open through the proxy now.</summary>
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
                await upstream.ConnectAsync(_target.Host, _target.Port, _stop.Token);
            }
            catch (Exception)
            {
                Reset(client);
                upstream.Dispose();
                continue;
            }
            lock (_links) _links.Add((client, upstream));
            _ = PipeAsync(client, upstream);
            _ = PipeAsync(upstream, client);
        }
    }

    private static async Task PipeAsync(TcpClient from, TcpClient to)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream());
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
