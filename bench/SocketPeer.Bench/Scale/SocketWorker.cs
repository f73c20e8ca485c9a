using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using SocketPeer.Bench.Cli;
using SocketPeer.Bench.Client;
using SocketPeer.Bench.Measurement;
using SocketPeer.Bench.Reporting;
using SocketPeer.Bench.Scenarios;
using SocketPeer.Bench.Servers;

namespace SocketPeer.Bench.Scale;

/// <summary>
/// One client process of the scale scenario (the bench's hidden <c>scale-worker</c> verb): it holds its
/// share of the paired sockets, all connected from its own loopback address, keeps a receive loop on
/// every socket (so the server's keep-alive pings are answered and a socket the server closes is
/// counted), and relays on its first pairs when told. Both ends of a pair live in the same worker.
/// <para>Commands (<see cref="WorkerLoop"/>): <c>connect N</c> pairs N more; <c>status</c>;
/// <c>relay …</c> (<see cref="RelaySchedule"/>); <c>quit</c>.</para>
/// </summary>
public sealed class SocketWorker
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);
    private readonly ScenarioContext _context;
    private readonly List<HeldPair> _pairs = [];
    private readonly string _path;
    private int _batch;
    private long _closedByServer;
    private long _unexpected;
    private string? _firstUnexpected;
    private volatile RelayWindow _window = new(long.MaxValue, long.MaxValue, new LatencyHistogram());

    private SocketWorker(ScenarioContext context, string path)
    {
        _context = context;
        _path = path;
    }

    /// <summary><c>scale-worker --server HOST:PORT --path P --source 127.0.0.K --tag T --concurrency C</c></summary>
    public static Task<int> RunAsync(IReadOnlyList<string> args)
    {
        WorkerLoop.ClaimStdout();
        string Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault()
            ?? throw new ArgumentException($"scale-worker needs {name}");
        var server = IPEndPoint.Parse(Arg("--server"));
        var source = IPAddress.Parse(Arg("--source"));
        if (!IPAddress.IsLoopback(server.Address) || !IPAddress.IsLoopback(source))
            throw new ArgumentException("scale-worker: loopback addresses only");
        var path = Arg("--path");
        var settings = new BenchSettings { Concurrency = int.Parse(Arg("--concurrency"), CultureInfo.InvariantCulture), Progress = false };
        var target = new Target(TargetKind.External, server, new SocketPeerWire(path, source: source), null, null);
        var worker = new SocketWorker(new ScenarioContext(target, settings, new ProgressLine(false), Arg("--tag"), CancellationToken.None), path);
        return RunAsync(worker);
    }

    private static async Task<int> RunAsync(SocketWorker worker)
    {
        // Started: the parent times connects from here, not from the process's start.
        await WorkerLoop.ReplyAsync(new { ready = true });
        return await WorkerLoop.RunAsync(worker.HandleAsync);
    }

    private async Task<object> HandleAsync(string[] words, CancellationToken cancel) => words[0] switch
    {
        "connect" => await ConnectAsync(int.Parse(words[1], CultureInfo.InvariantCulture)),
        "status" => new StatusReply(_pairs.Count * 2, Interlocked.Read(ref _closedByServer), Interlocked.Read(ref _unexpected), _firstUnexpected),
        "relay" => await RelayAsync(RelaySchedule.Parse(words), cancel),
        var other => throw new ArgumentException($"unknown command {other}"),
    };

    private async Task<ConnectReply> ConnectAsync(int count)
    {
        var started = Stopwatch.GetTimestamp();
        // A tag per batch: pair codes stay unique however many batches a size takes.
        var (pairs, failed, error) = await PairPool.ConnectAsync(_context, count, $"{_context.Tag}-{_batch++}");
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        foreach (var pair in pairs)
        {
            var held = new HeldPair(pair);
            _pairs.Add(held);
            _ = ReceiveLoopAsync(pair.A, () => held.IntoA);
            _ = ReceiveLoopAsync(pair.B, () => held.IntoB);
        }
        return new ConnectReply(pairs.Count, failed, error, Math.Round(seconds, 3), _pairs.Count * 2);
    }

    /// <summary>Open loop on the first pairs, both directions, at the schedule's total rate.</summary>
    private async Task<RelayReply> RelayAsync(RelaySchedule schedule, CancellationToken cancel)
    {
        if (schedule.Pairs > _pairs.Count) throw new ArgumentException($"relay on {schedule.Pairs} pairs, {_pairs.Count} held");
        var wire = new SocketPeerWire(_path);
        var flows = new List<RelayFlow>();
        foreach (var held in _pairs.Take(schedule.Pairs))
        {
            held.IntoB = new RelayFlow(held.Pair.A, held.Pair.B, wire.Data(held.Pair, fromA: true, schedule.Size));
            held.IntoA = new RelayFlow(held.Pair.B, held.Pair.A, wire.Data(held.Pair, fromA: false, schedule.Size));
            flows.Add(held.IntoB);
            flows.Add(held.IntoA);
        }
        var window = new RelayWindow(RelaySchedule.Local(schedule.WindowStart), RelaySchedule.Local(schedule.WindowEnd), new LatencyHistogram());
        _window = window;
        var scheduler = new RateScheduler<RelayFlow>(flows, schedule.Rate);
        var start = RelaySchedule.Local(schedule.Start);
        for (var i = 0; i < flows.Count; i++) flows[i].UseSchedule(start, scheduler.IntervalTicks, (double)i / flows.Count);
        await scheduler.RunAsync(start, window.End, (flow, _, slot, _) => flow.Due(slot), cancel);

        var until = Stopwatch.GetTimestamp() + (long)(DrainTimeout.TotalSeconds * Stopwatch.Frequency);
        var drained = false;
        while (!(drained = flows.All(f => f.Broken || f.Seen.Distinct >= f.NextSeq)) && Stopwatch.GetTimestamp() < until)
            await Task.Delay(50, cancel);
        return new RelayReply(flows.Sum(f => f.ReceivedInWindow), flows.Sum(f => f.NextSeq), flows.Sum(f => f.NextSeq - f.Seen.Distinct),
            flows.Sum(f => f.Seen.Duplicated), flows.Sum(f => f.Seen.OutOfOrder), drained, flows.Any(f => f.Broken), window.Latency.Export());
    }

    /// <summary>Every socket's reader, for its whole life: relayed messages are counted into the flow that sends to it.</summary>
    private async Task ReceiveLoopAsync(WsConnection connection, Func<RelayFlow?> incoming)
    {
        try
        {
            while (await connection.ReceiveAsync())
            {
                var now = Stamp.Now;
                if (!Stamp.TryRead(connection.Frame, out var seq, out var sent, out _) || incoming() is not { } flow)
                {
                    if (Interlocked.Increment(ref _unexpected) == 1)
                        _firstUnexpected = Encoding.UTF8.GetString(connection.Frame[..Math.Min(200, connection.Frame.Length)]);
                    continue;
                }
                flow.Seen.Saw(seq);
                var window = _window;
                if (now >= window.Start && now < window.End)
                {
                    flow.ReceivedInWindow++;
                    window.Latency.Record(now - sent);
                }
            }
            Interlocked.Increment(ref _closedByServer);
        }
        catch (Exception e) when (WsConnection.IsDisconnect(e))
        {
            Interlocked.Increment(ref _closedByServer);
        }
    }

    /// <summary>A pair and, while it relays, the flow into each end.</summary>
    private sealed class HeldPair(PeerPair pair)
    {
        public PeerPair Pair { get; } = pair;
        public volatile RelayFlow? IntoA;
        public volatile RelayFlow? IntoB;
    }
}
