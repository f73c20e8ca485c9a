namespace SocketPeer.Bench.Reporting;

/// <summary>
/// The live display: one status line per second on stderr while something runs, rewritten in place on
/// a terminal, printed as plain lines when redirected (every few seconds), silent when turned off.
/// </summary>
public sealed class ProgressLine(bool enabled)
{
    private readonly bool _terminal = !Console.IsErrorRedirected;
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();

    /// <summary>A line of its own, stamped with the time since the run began.</summary>
    public void Say(string line)
    {
        if (!enabled) return;
        Console.Error.WriteLine($"{_clock.Elapsed:mm\\:ss} {line}");
    }

    /// <summary>Shows <paramref name="status"/> every second until the returned handle is disposed.</summary>
    public IDisposable Show(string label, Func<string> status)
    {
        if (!enabled) return new Ticker(null);
        var ticks = 0;
        var timer = new Timer(_ =>
        {
            ticks++;
            var line = $"  [{label}] {status()}";
            if (_terminal) Console.Error.Write("\r" + line.PadRight(Math.Min(Console.BufferWidth > 0 ? Console.BufferWidth - 1 : 119, 160)));
            else if (ticks % 3 == 0) Console.Error.WriteLine(line);
        }, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        return new Ticker(() =>
        {
            timer.Dispose();
            if (_terminal && ticks > 0) Console.Error.WriteLine();
        });
    }

    private sealed class Ticker(Action? stop) : IDisposable
    {
        public void Dispose() => stop?.Invoke();
    }
}
