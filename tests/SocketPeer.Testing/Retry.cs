namespace SocketPeer.Testing;

public static class Retry
{
    /// <summary>
    /// Re-runs <paramref name="attempt"/> until it returns true (exceptions count as false) or the
    /// time runs out. For conditions only observable by trying (a freed connection slot).
    /// </summary>
    public static async Task UntilAsync(Func<Task<bool>> attempt, TimeSpan? within = null)
    {
        using var deadline = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(15));
        Exception? last = null;
        while (!deadline.IsCancellationRequested)
        {
            try
            {
                if (await attempt()) return;
            }
            catch (Exception e)
            {
                last = e;
            }
            await Task.Yield();
        }
        throw new Xunit.Sdk.XunitException($"condition not met in time; last error: {last?.Message}");
    }
}
