using System.Diagnostics;
using System.Runtime.InteropServices;

namespace SocketPeer.Bench.Client;

/// <summary>
/// Sleeps with sub-millisecond precision. Loopback relay latency is tens of microseconds, and timers
/// in .NET tick in whole milliseconds: an open-loop sender paced by <c>Task.Delay</c> would measure
/// its own timer, not the server. <c>clock_nanosleep</c> wakes within ~50–100 µs without spinning.
/// </summary>
internal static partial class PreciseSleep
{
    private const int ClockMonotonic = 1;

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_nanosleep")]
    private static partial int ClockNanosleep(int clock, int flags, in Timespec request, IntPtr remaining);

    /// <summary>Blocks the calling (dedicated) thread until <see cref="Stamp.Now"/> reaches <paramref name="stamp"/>.</summary>
    public static void Until(long stamp)
    {
        var ticks = stamp - Stamp.Now;
        if (ticks <= 0) return;
        var nanos = (long)(ticks * (1e9 / Stopwatch.Frequency));
        if (!OperatingSystem.IsLinux())
        {
            Thread.Sleep(TimeSpan.FromTicks(Math.Max(1, nanos / 100)));
            return;
        }
        var request = new Timespec { Seconds = nanos / 1_000_000_000, Nanoseconds = nanos % 1_000_000_000 };
        ClockNanosleep(ClockMonotonic, 0, request, IntPtr.Zero); // an early wake (EINTR) only means one more loop
    }
}
