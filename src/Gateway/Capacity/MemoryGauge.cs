namespace SocketPeer.Gateway.Capacity;

/// <summary>How much memory this process uses now (tests replace it with a reading of their own).</summary>
public interface IMemoryGauge
{
    long UsedBytes();
}

/// <summary>
/// The process's working set (resident memory): the managed heap, native memory and mapped code,
/// which is what a container's memory limit is measured against, less the kernel's socket buffers
/// and page cache. Reading it costs a file read on Linux, so <see cref="ConnectionGate"/> reads it
/// at most once per <see cref="ConnectionGate.MemoryReadInterval"/>.
/// </summary>
public sealed class ProcessMemoryGauge : IMemoryGauge
{
    public long UsedBytes() => Environment.WorkingSet;
}
