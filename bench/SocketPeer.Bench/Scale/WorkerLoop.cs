using System.Text.Json;
using SocketPeer.Bench.Reporting;

namespace SocketPeer.Bench.Scale;

/// <summary>
/// The worker side of the parent's control channel: one command per stdin line, one JSON reply per
/// stdout line (nothing else goes to stdout), <c>{"error": …}</c> when a command fails. The worker
/// ends on <c>quit</c> or when stdin closes, so it never outlives a parent that died without killing it
/// (the parent normally kills it).
/// </summary>
public static class WorkerLoop
{
    /// <summary>The results' JSON shape on one line.</summary>
    public static readonly JsonSerializerOptions Json = new(RunReport.Json) { WriteIndented = false };

    private static TextWriter _replies = Console.Out;

    /// <summary>
    /// Keeps stdout for replies alone: whatever else writes to the console (Akka's standard-out
    /// logger, a runtime warning) goes to stderr instead. Called first thing in a worker.
    /// </summary>
    public static void ClaimStdout()
    {
        _replies = Console.Out;
        Console.SetOut(Console.Error);
    }

    /// <summary>Writes one reply line.</summary>
    public static async Task ReplyAsync(object reply)
    {
        await _replies.WriteLineAsync(JsonSerializer.Serialize(reply, Json));
        await _replies.FlushAsync();
    }

    public static async Task<int> RunAsync(Func<string[], CancellationToken, Task<object>> handle)
    {
        using var stop = new CancellationTokenSource();
        while (await Console.In.ReadLineAsync() is { } line)
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0) continue;
            if (words[0] == "quit") break;
            object reply;
            try
            {
                reply = await handle(words, stop.Token);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                reply = new { error = $"{words[0]}: {e.GetType().Name}: {e.Message}" };
            }
            await ReplyAsync(reply);
        }
        await stop.CancelAsync();
        return 0;
    }
}
