namespace SocketPeer.Bench.Reporting;

/// <summary>
/// The scale scenario at one size: how many sockets the server held (the relaying pairs included),
/// how fast the step up to them connected and paired, and what the server did while they sat idle.
/// Memory is in <see cref="ScenarioResult.Memory"/> (growth over the server with none), relay in the
/// result's latency and loss figures.
/// </summary>
/// <param name="ConnectFailed">pairings that failed on the way to this size.</param>
/// <param name="BaseIdleServerCores">the same server's idle CPU with no socket (cluster gossip, timers), in the same run.</param>
/// <param name="ClosedWhileIdle">sockets the server closed, or that broke, since the size before.</param>
public sealed record ScaleFigures(int Sockets, int RelayPairs, int Workers, int PairsAdded, double? PairingsPerSecond,
    double? ConnectServerCpuUsPerPairing, int ConnectFailed, double IdleSeconds, double? IdleServerCores, double? BaseIdleServerCores,
    int ServerDescriptors, int? DescriptorLimit, long ClosedWhileIdle)
{
    /// <summary>
    /// Idle server CPU per socket: the growth over the server with none, in µs of CPU per second per
    /// socket (1 = one core per million sockets). Small sizes are noise: a few sockets barely move it.
    /// </summary>
    public double? IdleCpuUsPerSocketSecond => IdleServerCores - BaseIdleServerCores is { } c && Sockets > 0 ? Math.Round(c * 1e6 / Sockets, 3) : null;
}

/// <summary>
/// The actor layer alone: memory after a full GC with no sessions (but a warm-up), with
/// <see cref="Sessions"/> attached sessions, and with them paired into <see cref="Rooms"/> rooms.
/// Per session = the first growth / sessions; per room = the second growth / rooms, which also holds
/// what pairing adds to the two sessions (their partner, their room).
/// </summary>
public sealed record ActorLayerFigures(int Sessions, int Rooms, long RssBaseKb, long RssAttachedKb, long RssPairedKb,
    long? HeapBaseBytes, long? HeapAttachedBytes, long? HeapPairedBytes, double? AttachesPerSecond, double? PairingsPerSecond,
    double IdleSeconds, double? IdleCores)
{
    public double? HeapPerSessionKb => HeapAttachedBytes - HeapBaseBytes is { } d && Sessions > 0 ? Math.Round(d / 1024.0 / Sessions, 3) : null;
    public double? HeapPerRoomKb => HeapPairedBytes - HeapAttachedBytes is { } d && Rooms > 0 ? Math.Round(d / 1024.0 / Rooms, 3) : null;
    public double? RssPerSessionKb => Sessions > 0 ? Math.Round((double)(RssAttachedKb - RssBaseKb) / Sessions, 3) : null;
    public double? RssPerRoomKb => Rooms > 0 ? Math.Round((double)(RssPairedKb - RssAttachedKb) / Rooms, 3) : null;
}
