using SocketPeer.Bench.Micro;

namespace SocketPeer.Bench.Tests;

/// <summary>What the micro-benchmarks share: their command line, the interleaving of repeats, the medians.</summary>
public sealed class MicroBenchTests
{
    [Fact]
    public void The_command_line_gives_defaults_and_smoke_size_and_refuses_what_it_does_not_know()
    {
        Assert.Equal(new MicroBenchArgs(MicroBenchArgs.DefaultRepeat, 500, null), MicroBenchArgs.Parse([], 500));
        Assert.Equal(new MicroBenchArgs(3, 10, "out.json"), MicroBenchArgs.Parse(["--repeat", "3", "--messages", "10", "--out", "out.json"], 500));
        Assert.Equal(new MicroBenchArgs(MicroBenchArgs.Smoke.Repeat, MicroBenchArgs.Smoke.Messages, null), MicroBenchArgs.Parse(["--smoke"], 500));

        Assert.Null(MicroBenchArgs.Parse(["--fast"], 500));
        Assert.Null(MicroBenchArgs.Parse(["--repeat"], 500));
        Assert.Null(MicroBenchArgs.Parse(["--repeat", "zero"], 500));
        Assert.Null(MicroBenchArgs.Parse(["--messages", "0"], 500));
    }

    [Fact]
    public async Task Repeats_alternate_the_order_of_the_variants_after_one_warm_up_each()
    {
        var measured = new List<(string Variant, int Repeat, int Messages)>();
        Task<MessageCost> Measure(string variant, int repeat, int messages)
        {
            measured.Add((variant, repeat, messages));
            return Task.FromResult(new MessageCost(variant, repeat, messages, 1, 1));
        }

        var results = await Interleaved.RunAsync(["a", "b"], repeat: 3, messages: 100, warmUpMessages: 10, Measure, TextWriter.Null);

        Assert.Equal([("a", 0, 10), ("b", 0, 10), ("a", 1, 100), ("b", 1, 100), ("b", 2, 100), ("a", 2, 100), ("a", 3, 100), ("b", 3, 100)], measured);
        Assert.Equal(6, results.Count); // the warm-up is not a result
    }

    [Fact]
    public void A_median_is_of_one_variant_and_the_middle_pair_s_mean_for_an_even_count()
    {
        MessageCost Cost(string variant, double micros) => new(variant, 1, 10, micros, 0);
        MessageCost[] results = [Cost("a", 4), Cost("a", 1), Cost("b", 100), Cost("a", 2), Cost("a", 3)];

        Assert.Equal(2.5, Medians.Of(results, "a", c => c.CpuMicrosPerMessage));
        Assert.Equal(100, Medians.Of(results, "b", c => c.CpuMicrosPerMessage));
        Assert.Equal(1, Medians.Fastest(results, "a"));
        Assert.True(double.IsNaN(Medians.Of(results, "c", c => c.CpuMicrosPerMessage)));
        Assert.True(double.IsNaN(Medians.Fastest(results, "c")));
    }
}
