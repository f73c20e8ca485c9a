using System.Runtime.InteropServices;

namespace SocketPeer.Bench.Measurement;

/// <summary>What the figures were measured on.</summary>
public sealed record MachineInfo(int Cores, long MemoryMb, string Cpu, string Kernel, string Runtime, double[] LoadAverageAtStart)
{
    public static MachineInfo Read() => new(Environment.ProcessorCount, ProcFs.MemTotalMb(), ProcFs.CpuModel(),
        ProcFs.Kernel(), RuntimeInformation.FrameworkDescription, ProcFs.LoadAverage());
}
