using System.Text.Json;
using SocketPeer.Bench.Session;

// dotnet run -c Release --project bench/SocketPeer.Bench.Session -- [--repeat N] [--messages N] [--out FILE] [--smoke]
var repeat = 9;
var messages = 1_000_000;
string? output = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--repeat": repeat = int.Parse(args[++i]); break;
        case "--messages": messages = int.Parse(args[++i]); break;
        case "--out": output = args[++i]; break;
        case "--smoke": (repeat, messages) = (1, 2_000); break;
        default:
            Console.Error.WriteLine("usage: [--repeat N] [--messages N] [--out FILE] [--smoke]");
            return 2;
    }
}

string[] modes = ["plain", "acked", "actor"];
// The actors' path costs tens of times the machine's: a tenth of the messages.
await using var actors = await ActorRelayCost.StartAsync();
RelayCost Measure(string mode, int r, int count) =>
    mode == "actor" ? actors.Measure(r, Math.Max(count / 10, 1_000)) : SessionCost.Measure(mode, r, count);
// Warm-up: JIT and tiering on every mode before anything counts.
foreach (var mode in modes) Measure(mode, 0, Math.Min(messages, 200_000));

var results = new List<RelayCost>();
for (var r = 1; r <= repeat; r++)
{
    // Interleaved, so a disturbance of the box hits every mode alike.
    foreach (var mode in r % 2 == 1 ? modes : modes.Reverse())
    {
        var cost = Measure(mode, r, messages);
        results.Add(cost);
        Console.WriteLine($"repeat {r}: {cost.Mode,-6} {cost.CpuMicrosPerMessage,8:F3} µs CPU/msg {cost.BytesPerMessage,6:F0} B/msg");
    }
}

var summary = SessionSummary.Of(results);
Console.WriteLine(summary);
if (output is not null)
{
    await File.WriteAllTextAsync(output, JsonSerializer.Serialize(new
    {
        machine = Environment.MachineName,
        cores = Environment.ProcessorCount,
        runtime = Environment.Version.ToString(),
        commandLine = string.Join(' ', args),
        results,
        summary = summary.ToString(),
    }, new JsonSerializerOptions { WriteIndented = true }));
    Console.WriteLine($"results: {output}");
}
return 0;
