using SocketPeer.Bench.Lane;
using SocketPeer.Bench.Micro;

// dotnet run -c Release --project bench/SocketPeer.Bench.Lane -- [--repeat N] [--messages N] [--out FILE] [--smoke]
if (MicroBenchArgs.Parse(args, defaultMessages: 300_000) is not { } run)
{
    Console.Error.WriteLine(MicroBenchArgs.Usage);
    return 2;
}

await using var bench = new LaneCost();
var results = await Interleaved.RunAsync(LaneCost.Paths, run.Repeat, run.Messages, Math.Min(run.Messages, 50_000),
    bench.MeasureAsync, Console.Out);

var summary = LaneSummary.Of(results);
Console.WriteLine(summary);
if (run.Output is not null)
{
    await MicroBenchReport.WriteAsync(run.Output, args, results, summary.ToString());
    Console.WriteLine($"results: {run.Output}");
}
return 0;
