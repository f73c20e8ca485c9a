using System.Globalization;

namespace SocketPeer.Gateway.Capacity;

/// <summary>
/// What the operating system lets this process have, read once at start: open file descriptors
/// (every socket, every loaded assembly, every log file takes one) and, in a container, the
/// memory limit of its cgroup. Null where it cannot be known (not Linux, no limit set).
/// </summary>
public sealed record HostLimits(DescriptorLimit? Descriptors, long? MemoryBytes)
{
    /// <summary>This process's limits: <c>/proc/self/limits</c> and the cgroup's memory limit (v2, else v1).</summary>
    public static HostLimits Read() => new(
        DescriptorLimit.Parse(ReadOrNull("/proc/self/limits")),
        CgroupMemoryLimit(ReadOrNull("/sys/fs/cgroup/memory.max"))
            ?? CgroupMemoryLimit(ReadOrNull("/sys/fs/cgroup/memory/memory.limit_in_bytes")));

    /// <summary>
    /// A cgroup memory limit file's value: bytes, or null for none. v2 writes <c>max</c>; v1 writes a
    /// number near 2^63 (rounded down to a page) when no limit is set.
    /// </summary>
    public static long? CgroupMemoryLimit(string? text)
    {
        const long NoLimitAbove = 1L << 60;
        return long.TryParse(text?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var bytes)
               && bytes is > 0 and < NoLimitAbove
            ? bytes
            : null;
    }

    private static string? ReadOrNull(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

/// <summary>
/// The open-files limit (RLIMIT_NOFILE). The .NET runtime raises the soft limit to the hard one at
/// start, so by the time this is read the soft one is what applies; <see cref="long.MaxValue"/> is unlimited.
/// </summary>
public sealed record DescriptorLimit(long Soft, long Hard)
{
    public bool IsUnlimited => Soft == long.MaxValue;

    /// <summary>The <c>Max open files</c> line of a <c>/proc/PID/limits</c> text; null when absent or unreadable.</summary>
    public static DescriptorLimit? Parse(string? procLimits)
    {
        const string Row = "Max open files";
        var line = procLimits?.Split('\n').FirstOrDefault(l => l.StartsWith(Row, StringComparison.Ordinal));
        if (line is null) return null;
        // "Max open files            1048576              1048576              files"
        var fields = line[Row.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length >= 2 && Value(fields[0]) is { } soft && Value(fields[1]) is { } hard
            ? new DescriptorLimit(soft, hard)
            : null;

        static long? Value(string field) =>
            field == "unlimited" ? long.MaxValue
            : long.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
            : null;
    }
}
