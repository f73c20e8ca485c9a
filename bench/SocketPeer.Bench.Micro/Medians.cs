namespace SocketPeer.Bench.Micro;

public static class Medians
{
    /// <summary>The median of one variant's <paramref name="figure"/> over its repeats; NaN when it has none.</summary>
    public static double Of(IEnumerable<MessageCost> results, string variant, Func<MessageCost, double> figure)
    {
        var values = results.Where(c => c.Variant == variant).Select(figure).Order().ToArray();
        if (values.Length == 0) return double.NaN;
        var mid = values.Length / 2;
        return values.Length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }

    /// <summary>One variant's least CPU per message over its repeats (the least-disturbed one); NaN when it has none.</summary>
    public static double Fastest(IEnumerable<MessageCost> results, string variant) =>
        results.Where(c => c.Variant == variant).Select(c => c.CpuMicrosPerMessage).DefaultIfEmpty(double.NaN).Min();
}
