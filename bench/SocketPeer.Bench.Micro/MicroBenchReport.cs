using System.Text.Json;

namespace SocketPeer.Bench.Micro;

public static class MicroBenchReport
{
    /// <summary>Writes a run's results and summary to <paramref name="output"/> as JSON, with the machine they were measured on.</summary>
    public static async Task WriteAsync(string output, IEnumerable<string> args, IReadOnlyList<MessageCost> results, string summary)
    {
        await File.WriteAllTextAsync(output, JsonSerializer.Serialize(new
        {
            machine = Environment.MachineName,
            cores = Environment.ProcessorCount,
            runtime = Environment.Version.ToString(),
            commandLine = string.Join(' ', args),
            results,
            summary,
        }, new JsonSerializerOptions { WriteIndented = true }));
    }
}
