namespace SocketPeer.Chaos.Nodes;

/// <summary>The gateway's readiness endpoint, probed the way Kubernetes does.</summary>
public static class NodeHealth
{
    public static async Task<bool> IsReadyAsync(HttpClient http, CancellationToken cancel)
    {
        try
        {
            using var response = await http.GetAsync("/ready", cancel);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false; // not listening (yet, or any more)
        }
        catch (TaskCanceledException) when (!cancel.IsCancellationRequested)
        {
            return false; // the probe timed out
        }
    }
}
