using System.Globalization;
using SocketPeer.Bench.Measurement;

namespace SocketPeer.Bench.Scale;

// What a worker process (scale-worker, actors-worker) answers its parent, one JSON line per command.
// Times that cross processes are raw Stopwatch ticks: CLOCK_MONOTONIC, the same clock in every process.

/// <summary>A <c>connect</c> (sockets) or <c>attach</c>/<c>pair</c> (actor layer): how many were made, and how long it took.</summary>
public sealed record ConnectReply(int Made, int Failed, string? FirstError, double Seconds, int Holding);

/// <summary>
/// One open-loop relay window of a worker's share of the relaying pairs: receipts inside the window,
/// what was sent, what never arrived (after a bounded drain), and the latency histogram to merge.
/// </summary>
public sealed record RelayReply(long Received, long Sent, long Lost, long Duplicated, long OutOfOrder, bool Drained,
    bool Broken, HistogramCounts Latency);

/// <summary>What a worker's sockets saw while they sat idle.</summary>
public sealed record StatusReply(int Holding, long ClosedByServer, long Unexpected, string? FirstUnexpected);

/// <summary>The relay command's schedule, in raw Stopwatch ticks (see above).</summary>
public sealed record RelaySchedule(int Pairs, double Rate, int Size, long Start, long WindowStart, long WindowEnd)
{
    public string Command => $"relay {Pairs} {Rate.ToString(CultureInfo.InvariantCulture)} {Size} {Start} {WindowStart} {WindowEnd}";

    public static RelaySchedule Parse(string[] words) => new(int.Parse(words[1], CultureInfo.InvariantCulture),
        double.Parse(words[2], CultureInfo.InvariantCulture), int.Parse(words[3], CultureInfo.InvariantCulture),
        Ticks(words[4]), Ticks(words[5]), Ticks(words[6]));

    private static long Ticks(string word) => long.Parse(word, CultureInfo.InvariantCulture);

    /// <summary>A raw Stopwatch timestamp as this process's <see cref="Client.Stamp.Now"/>.</summary>
    public static long Local(long raw) => raw - Client.Stamp.Origin;
}
