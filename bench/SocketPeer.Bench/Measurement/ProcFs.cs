using System.Globalization;

namespace SocketPeer.Bench.Measurement;

/// <summary>Readings from Linux's /proc: the only place the harness takes CPU and memory figures from.</summary>
public static class ProcFs
{
    /// <summary>USER_HZ: the unit of /proc/PID/stat and /proc/stat times (100 on every Linux we run on).</summary>
    private const double TicksPerSecond = 100;

    /// <summary>
    /// Nanoseconds on CPU of each live thread of <paramref name="pid"/>, by thread id: the first field
    /// of /proc/PID/task/TID/schedstat. Precise, but a thread that exits takes its time with it; see
    /// <see cref="ProcessCpuSeconds"/> for the coarse total that keeps it.
    /// </summary>
    public static Dictionary<int, long> ThreadCpuNanosById(int pid)
    {
        var threads = new Dictionary<int, long>();
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                try
                {
                    var text = File.ReadAllText(Path.Combine(task, "schedstat"));
                    var space = text.IndexOf(' ');
                    threads[int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture)] =
                        long.Parse(space < 0 ? text : text[..space], CultureInfo.InvariantCulture);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // The thread ended between listing and reading.
                }
            }
        }
        catch (DirectoryNotFoundException)
        {
            // The process is gone.
        }
        return threads;
    }

    /// <summary>
    /// CPU spent between two <see cref="ThreadCpuNanosById"/> readings: each thread's growth, and the
    /// whole time of threads born in between. Threads that exited in between are missing (their
    /// in-window time is lost); summing totals instead would subtract their whole lives.
    /// </summary>
    public static long ThreadCpuNanosBetween(Dictionary<int, long> before, Dictionary<int, long> after) =>
        after.Sum(t => t.Value - before.GetValueOrDefault(t.Key));

    /// <summary>utime + stime of the whole process (exited threads included), in 10 ms ticks.</summary>
    public static double ProcessCpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name is in parentheses and may hold spaces: count fields after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // Fields 14 and 15 of stat(5) are utime and stime; here they are at 11 and 12 (state is 0).
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    /// <summary>Resident set size (VmRSS) of <paramref name="pid"/> in KiB.</summary>
    public static long RssKb(int pid) => StatusField(pid, "VmRSS:");

    public static int ThreadCount(int pid) => (int)StatusField(pid, "Threads:");

    /// <summary>Descriptors <paramref name="pid"/> holds open now (entries of /proc/PID/fd).</summary>
    public static int OpenDescriptors(int pid)
    {
        try
        {
            return Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd").Count();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    /// <summary>The soft limit on open descriptors of <paramref name="pid"/> ("Max open files" in /proc/PID/limits).</summary>
    public static int? DescriptorLimit(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/limits"))
        {
            if (!line.StartsWith("Max open files", StringComparison.Ordinal)) continue;
            var soft = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
            return int.TryParse(soft, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) ? limit : null; // "unlimited"
        }
        return null;
    }

    private static long StatusField(int pid, string name)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            if (line.StartsWith(name, StringComparison.Ordinal))
                return long.Parse(line[name.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        return 0;
    }

    /// <summary>The whole machine's CPU time from /proc/stat: busy and total, in seconds summed over cores.</summary>
    public static (double Busy, double Total) MachineCpu()
    {
        var line = File.ReadLines("/proc/stat").First(l => l.StartsWith("cpu ", StringComparison.Ordinal));
        var values = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        // user nice system idle iowait irq softirq steal (guest time is already inside user).
        var total = values.Take(8).Sum();
        var idle = values[3] + values[4];
        return ((total - idle) / TicksPerSecond, total / TicksPerSecond);
    }

    /// <summary>The 1, 5 and 15 minute load averages.</summary>
    public static double[] LoadAverage() =>
        File.ReadAllText("/proc/loadavg").Split(' ').Take(3).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();

    public static long MemTotalMb() =>
        long.Parse(File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;

    public static string CpuModel() =>
        File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?
            .Split(':', 2)[1].Trim() ?? "unknown";

    public static string Kernel() => File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
}
