using System.Diagnostics;
using System.Text;
using SocketPeer.Bench.Cli;
using SocketPeer.Bench.Client;
using SocketPeer.Bench.Measurement;

namespace SocketPeer.Bench.Tests;

/// <summary>The pure parts of the harness's measuring, which every figure it prints depends on.</summary>
public sealed class MeasurementTests
{
    [Fact]
    public void A_message_template_carries_its_stamp_and_keeps_its_size()
    {
        var template = new MessageTemplate("{\"type\":\"data\",\"data\":{" + Stamp.Placeholder('d') + ",\"p\":\"xx\"}}");
        var size = template.Length;

        template.Fill(seq: 42, stamp: 123_456_789);

        var text = template.Bytes.Span;
        Assert.Equal(size, text.Length);
        Assert.True(Stamp.TryRead(text, out var seq, out var stamp, out var kind));
        Assert.Equal((42L, 123_456_789L, (byte)'d'), (seq, stamp, kind));
        Assert.Contains("\"s\":\"0000000042\"", Encoding.UTF8.GetString(text));
    }

    [Fact]
    public void A_message_without_a_stamp_is_not_read_as_one()
    {
        Assert.False(Stamp.TryRead("{\"type\":\"peer.left\"}"u8, out _, out _, out _));
    }

    [Fact]
    public void The_sequence_tracker_tells_duplicates_from_reordering()
    {
        var tracker = new SequenceTracker();

        foreach (var seq in new long[] { 0, 1, 3, 2, 3, 200 }) tracker.Saw(seq);

        Assert.Equal(5, tracker.Distinct);
        Assert.Equal(1, tracker.Duplicated);
        Assert.Equal(1, tracker.OutOfOrder);
    }

    [Fact]
    public void Histogram_percentiles_are_within_two_percent()
    {
        var histogram = new LatencyHistogram();
        var microsecond = Stopwatch.Frequency / 1_000_000.0;

        for (var us = 1; us <= 10_000; us++) histogram.Record((long)(us * microsecond));

        var summary = histogram.Summarize();
        Assert.Equal(10_000, summary.Count);
        Assert.InRange(summary.P50Us, 5_000 * 0.98, 5_000 * 1.02);
        Assert.InRange(summary.P99Us, 9_900 * 0.98, 9_900 * 1.02);
        Assert.InRange(summary.MaxUs, 10_000 * 0.999, 10_000 * 1.001);
    }

    [Fact]
    public void Cpu_between_readings_counts_growth_and_new_threads_but_never_an_exited_threads_life()
    {
        var before = new Dictionary<int, long> { [1] = 1_000, [2] = 5_000_000 };
        var after = new Dictionary<int, long> { [1] = 1_500, [3] = 200 }; // 2 exited, 3 was born

        Assert.Equal(500 + 200, ProcFs.ThreadCpuNanosBetween(before, after));
    }

    [Fact]
    public void A_closed_loop_window_above_the_servers_queue_or_a_url_off_loopback_is_refused()
    {
        Assert.Throws<ArgumentException>(() => BenchSettings.Parse(["relay", "--window", "300"]));
        Assert.Throws<ArgumentException>(() => BenchSettings.Parse(["relay", "--url", "ws://10.0.0.1:5000/socketpeer/"]));
    }
}
