using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SocketPeer.Actors.Cluster;
using SocketPeer.Actors.Diagnostics;
using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Sessions;
using SocketPeer.Bench.Client;
using SocketPeer.Bench.Measurement;

namespace SocketPeer.Bench.Scale;

/// <summary>
/// The actor layer alone (the bench's hidden <c>actors-worker</c> verb): a one-node SocketPeer cluster
/// started as the gateway starts it (<see cref="SocketPeerCluster.AddSocketPeerCluster"/> in a generic
/// host), with sessions driven in-process through the same messages the gateway's sockets send, to a
/// <see cref="ProbeConnection"/> each instead of a socket. The parent measures this process from
/// outside, as it measures the servers.
/// <para>Commands: <c>attach N</c> starts N more sessions (attached, not paired); <c>pair</c> pairs
/// every unpaired two of them in a room of their own; <c>relay …</c> (<see cref="RelaySchedule"/>)
/// on the first pairs; <c>quit</c>. It says <c>ready</c> once its shard regions answer, after a small
/// warm-up (so first-use allocations are not counted).</para>
/// </summary>
public sealed class ActorWorker
{
    private const int WarmupPairs = 20;
    /// <summary>Sessions attaching (or pairs pairing) at a time: the gateway's sockets, too, arrive over time.</summary>
    private const int InFlight = 2000;
    private static readonly TimeSpan PhaseTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);

    private readonly ActorSystem _system;
    private readonly IActorRef _region;
    private readonly ActorLayerSink _sink = new();
    private readonly List<ProbeConnection> _sessions = [];
    private int _pairedSessions;

    private ActorWorker(ActorSystem system, IActorRef region)
    {
        _system = system;
        _region = region;
    }

    public static async Task<int> RunAsync()
    {
        WorkerLoop.ClaimStdout();
        using var host = new HostBuilder()
            .ConfigureServices(services =>
            {
                services.AddMetrics();
                services.AddSingleton<SocketPeerMetrics>();
                services.AddAkka(ClusterSettings.SystemName, (akka, provider) => akka
                    .ConfigureLoggers(loggers => loggers.LogLevel = Akka.Event.LogLevel.WarningLevel)
                    .AddSocketPeerCluster(new ClusterSettings { Port = 0 }, new SessionSettings(SessionSettings.DefaultPeerTimeout),
                        provider.GetRequiredService<SocketPeerMetrics>()));
            })
            .Build();
        await host.StartAsync();
        var system = host.Services.GetRequiredService<ActorSystem>();
        var registry = host.Services.GetRequiredService<ActorRegistry>();
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Akka.Cluster.Cluster.Get(system).RegisterOnMemberUp(up.SetResult);
        await up.Task.WaitAsync(TimeSpan.FromMinutes(1));
        var worker = new ActorWorker(system, await registry.GetAsync<SessionRegion>());
        await worker.AttachAsync(2 * WarmupPairs);
        await worker.PairAsync();
        await WorkerLoop.ReplyAsync(new { ready = true });
        var exit = await WorkerLoop.RunAsync(worker.HandleAsync);
        await host.StopAsync(TimeSpan.FromSeconds(5));
        return exit;
    }

    private async Task<object> HandleAsync(string[] words, CancellationToken cancel) => words[0] switch
    {
        "attach" => await AttachAsync(int.Parse(words[1], CultureInfo.InvariantCulture)),
        "pair" => await PairAsync(),
        "relay" => await RelayAsync(RelaySchedule.Parse(words), cancel),
        var other => throw new ArgumentException($"unknown command {other}"),
    };

    /// <summary>Starts <paramref name="count"/> sessions, each attached to its probe, as a socket's first message does.</summary>
    private async Task<ConnectReply> AttachAsync(int count)
    {
        var started = Stopwatch.GetTimestamp();
        var target = _sessions.Count + count;
        var provider = ((ExtendedActorSystem)_system).Provider;
        for (var i = 0; i < count; i++)
        {
            await UntilAsync(() => _sessions.Count - _sink.LocatedCount < InFlight);
            var probe = new ProbeConnection(provider, SessionId.NewOn(_system), _sink);
            _sessions.Add(probe);
            _region.Tell(new AttachConnection(probe.Id, probe), probe);
        }
        var done = await UntilAsync(() => _sink.LocatedCount >= target);
        return new ConnectReply(done ? count : count - (target - _sink.LocatedCount), done ? 0 : target - _sink.LocatedCount,
            done ? null : "sessions did not say where they are", Seconds(started), _sessions.Count);
    }

    /// <summary>Pairs the unpaired sessions two by two, each two with a code of their own (one room each).</summary>
    private async Task<ConnectReply> PairAsync()
    {
        var started = Stopwatch.GetTimestamp();
        var first = _pairedSessions;
        var target = _sessions.Count - _sessions.Count % 2;
        for (var i = first; i < target; i += 2)
        {
            var made = i;
            await UntilAsync(() => made - _sink.PairedCount < 2 * InFlight);
            var code = new PairCode($"bench-{i / 2}");
            foreach (var probe in new[] { _sessions[i], _sessions[i + 1] })
                probe.Entity!.Tell(new ClientPair(probe.Id, code), probe);
        }
        _pairedSessions = target;
        var done = await UntilAsync(() => _sink.PairedCount >= target);
        var failed = (target - _sink.PairedCount) / 2;
        return new ConnectReply((target - first) / 2 - failed, failed, done ? null : "peer.found never came",
            Seconds(started), _sessions.Count);
    }

    private async Task<RelayReply> RelayAsync(RelaySchedule schedule, CancellationToken cancel)
    {
        if (2 * schedule.Pairs > _pairedSessions) throw new ArgumentException($"relay on {schedule.Pairs} pairs, {_pairedSessions / 2} paired");
        var bare = "{" + Stamp.Placeholder('d') + ",\"p\":\"\"}";
        var payload = bare.Insert(bare.Length - 2, new string('x', Math.Max(0, schedule.Size - bare.Length)));
        var flows = new List<ActorFlow>();
        for (var i = 0; i < 2 * schedule.Pairs; i += 2)
        {
            var (a, b) = (_sessions[i], _sessions[i + 1]);
            b.Incoming = new ActorFlow(a, new MessageTemplate(payload));
            a.Incoming = new ActorFlow(b, new MessageTemplate(payload));
            flows.Add(b.Incoming);
            flows.Add(a.Incoming);
        }
        var window = new RelayWindow(RelaySchedule.Local(schedule.WindowStart), RelaySchedule.Local(schedule.WindowEnd), new LatencyHistogram());
        _sink.Window = window;
        var scheduler = new RateScheduler<ActorFlow>(flows, schedule.Rate);
        var start = RelaySchedule.Local(schedule.Start);
        for (var i = 0; i < flows.Count; i++) flows[i].UseSchedule(start, scheduler.IntervalTicks, (double)i / flows.Count);
        await scheduler.RunAsync(start, window.End, (flow, _, slot, _) => flow.Due(slot), cancel);
        var until = Stopwatch.GetTimestamp() + (long)(DrainTimeout.TotalSeconds * Stopwatch.Frequency);
        var drained = false;
        while (!(drained = flows.All(f => f.Seen.Distinct >= f.NextSeq)) && Stopwatch.GetTimestamp() < until)
            await Task.Delay(50, cancel);
        return new RelayReply(flows.Sum(f => Interlocked.Read(ref f.ReceivedInWindow)), flows.Sum(f => f.NextSeq),
            flows.Sum(f => f.NextSeq - f.Seen.Distinct), flows.Sum(f => f.Seen.Duplicated), flows.Sum(f => f.Seen.OutOfOrder),
            drained, Broken: false, window.Latency.Export());
    }

    /// <summary>Polls <paramref name="condition"/> (counters the probes raise) until it holds or the phase times out.</summary>
    private static async Task<bool> UntilAsync(Func<bool> condition)
    {
        if (condition()) return true;
        var until = Stopwatch.GetTimestamp() + (long)(PhaseTimeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < until)
        {
            await Task.Delay(5);
            if (condition()) return true;
        }
        return false;
    }

    private static double Seconds(long started) => Math.Round(Stopwatch.GetElapsedTime(started).TotalSeconds, 3);
}
