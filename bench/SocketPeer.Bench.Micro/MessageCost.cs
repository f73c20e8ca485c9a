namespace SocketPeer.Bench.Micro;

/// <summary>One measurement of one variant (a path, a mode) of a micro-benchmark: CPU and bytes allocated per message.</summary>
public sealed record MessageCost(string Variant, int Repeat, long Messages, double CpuMicrosPerMessage, double BytesPerMessage);
