namespace SocketPeer.Chaos.Client;

/// <summary>
/// Each pair's clock: every 1/rate seconds each client sends one message (if it is live), and
/// acknowledgements are flushed. <see cref="Sending"/> off (the drain) keeps only the acks going.
/// A flooding client (the partner of a stuck consumer) sends big messages as fast as
/// <see cref="FloodRate"/> allows.
/// </summary>
public sealed class Traffic(IReadOnlyList<ChaosPair> pairs, double rate, int payloadBytes)
{
    public const double FloodRate = 200;
    public const int FloodPayloadBytes = 16 * 1024;

    private readonly string _padding = new('x', payloadBytes);
    private readonly string _floodPadding = new('f', FloodPayloadBytes);
    private volatile bool _sending = true;
    private volatile bool _flooding;

    public bool Sending
    {
        get => _sending;
        set => _sending = value;
    }

    public bool Flooding
    {
        get => _flooding;
        set => _flooding = value;
    }

    public Task RunAsync(CancellationToken cancel) => Task.WhenAll(pairs.Select(p => Task.Run(() => PairLoopAsync(p, cancel), cancel)));

    private async Task PairLoopAsync(ChaosPair pair, CancellationToken cancel)
    {
        // Pairs start spread over one period, so the nodes see a steady flow rather than bursts.
        var period = TimeSpan.FromSeconds(1 / rate);
        try
        {
            await Task.Delay(period * Random.Shared.NextDouble(), cancel);
            using var timer = new PeriodicTimer(period);
            var flood = Task.CompletedTask;
            do
            {
                if (_sending)
                {
                    await pair.A.SendNextAsync(_padding);
                    if (!pair.Stuck) await pair.B.SendNextAsync(_padding);
                }
                await pair.A.FlushAckIfDueAsync();
                await pair.B.FlushAckIfDueAsync();
                if (pair.Stuck && _flooding && flood.IsCompleted) flood = FloodAsync(pair.A, cancel);
            } while (await timer.WaitForNextTickAsync(cancel));
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }
    }

    private async Task FloodAsync(IChaosClient sender, CancellationToken cancel)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1 / FloodRate));
        while (_flooding && _sending && await timer.WaitForNextTickAsync(cancel))
            await sender.SendNextAsync(_floodPadding);
    }
}
