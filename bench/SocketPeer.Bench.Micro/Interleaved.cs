namespace SocketPeer.Bench.Micro;

/// <summary>Repeats of every variant, interleaved, so that a disturbance of the box hits each variant alike.</summary>
public static class Interleaved
{
    /// <summary>
    /// Measures each variant once per repeat, in the given order on odd repeats and reversed on even
    /// ones, after one unrecorded warm-up of each (JIT and tiering before anything counts). Prints a
    /// line a measurement.
    /// </summary>
    public static async Task<List<MessageCost>> RunAsync(IReadOnlyList<string> variants, int repeat, int messages,
        int warmUpMessages, Func<string, int, int, Task<MessageCost>> measure, TextWriter log)
    {
        foreach (var variant in variants)
            await measure(variant, 0, warmUpMessages);

        var results = new List<MessageCost>();
        for (var r = 1; r <= repeat; r++)
        {
            foreach (var variant in Order(variants, r))
            {
                var cost = await measure(variant, r, messages);
                results.Add(cost);
                log.WriteLine($"repeat {r}: {cost.Variant,-6} {cost.CpuMicrosPerMessage,8:F3} µs CPU/msg {cost.BytesPerMessage,6:F0} B/msg");
            }
        }
        return results;
    }

    /// <summary>The variants in the order repeat <paramref name="repeat"/> runs them.</summary>
    public static IEnumerable<string> Order(IReadOnlyList<string> variants, int repeat) =>
        repeat % 2 == 1 ? variants : variants.Reverse();
}
