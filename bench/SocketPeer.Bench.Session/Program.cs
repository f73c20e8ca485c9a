using SocketPeer.Bench.Micro;
using SocketPeer.Bench.Session;

// dotnet run -c Release --project bench/SocketPeer.Bench.Session -- [--repeat N] [--messages N] [--out FILE] [--smoke]
if (MicroBenchArgs.Parse(args, defaultMessages: 1_000_000) is not { } run)
{
    Console.Error.WriteLine(MicroBenchArgs.Usage);
    return 2;
}

await using var actors = await ActorRelayCost.StartAsync();
// The actors' path costs tens of times the machine's: a tenth of the messages.
Task<MessageCost> Measure(string mode, int repeat, int count) => Task.FromResult(mode == ActorRelayCost.Mode
    ? actors.Measure(repeat, Math.Max(count / 10, 1_000))
    : SessionCost.Measure(mode, repeat, count));
var results = await Interleaved.RunAsync([SessionCost.Plain, SessionCost.Acked, ActorRelayCost.Mode], run.Repeat, run.Messages,
    Math.Min(run.Messages, 200_000), Measure, Console.Out);

var summary = SessionSummary.Of(results);
Console.WriteLine(summary);
if (run.Output is not null)
{
    await MicroBenchReport.WriteAsync(run.Output, args, results, summary.ToString());
    Console.WriteLine($"results: {run.Output}");
}
return 0;
