using System.Diagnostics;

namespace SocketPeer.Bench.Client;

/// <summary>
/// Fires evenly spaced slots for many items from one dedicated thread: item <c>i</c> of <c>n</c> gets
/// slot <c>k</c> at <c>start + (k + i/n) × interval</c>, so the total rate is smooth rather than in bursts.
/// The callback must not block: it starts a send and returns.
/// </summary>
public sealed class RateScheduler<T>(IReadOnlyList<T> items, double totalPerSecond)
{
    public double IntervalTicks { get; } = Stopwatch.Frequency * items.Count / totalPerSecond;

    /// <summary>The time of slot <paramref name="slot"/> of item <paramref name="item"/>.</summary>
    public long SlotTime(long start, int item, long slot) =>
        start + (long)((slot + (double)item / items.Count) * IntervalTicks);

    /// <summary>Runs on a thread of its own until <paramref name="end"/> (a <see cref="Stamp.Now"/> value) or cancel.</summary>
    public Task RunAsync(long start, long end, Action<T, int, long, long> fire, CancellationToken cancel)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                Run(start, end, fire, cancel);
                done.SetResult();
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        });
        thread.IsBackground = true;
        thread.Name = "rate-scheduler";
        thread.Start();
        return done.Task;
    }

    private void Run(long start, long end, Action<T, int, long, long> fire, CancellationToken cancel)
    {
        var due = new PriorityQueue<(int Item, long Slot), long>(items.Count);
        for (var i = 0; i < items.Count; i++) due.Enqueue((i, 0), SlotTime(start, i, 0));
        while (!cancel.IsCancellationRequested && due.TryPeek(out _, out var next) && next < end)
        {
            if (next > Stamp.Now)
            {
                PreciseSleep.Until(next);
                continue;
            }
            var (item, slot) = due.Dequeue();
            fire(items[item], item, slot, next);
            due.Enqueue((item, slot + 1), SlotTime(start, item, slot + 1));
        }
    }
}
