namespace SocketPeer.Bench.Micro;

/// <summary>The command line every micro-benchmark takes.</summary>
public sealed record MicroBenchArgs(int Repeat, int Messages, string? Output)
{
    public const string Usage = "usage: [--repeat N] [--messages N] [--out FILE] [--smoke]";

    /// <summary>The repeats a run takes unless told: enough for a median that one disturbed repeat does not move.</summary>
    public const int DefaultRepeat = 9;

    /// <summary>What <c>--smoke</c> sets: one repeat of a few messages, to show the harness works, not to measure.</summary>
    public static readonly (int Repeat, int Messages) Smoke = (1, 2_000);

    /// <summary>The arguments read, or null (with <see cref="Usage"/> to print) when one is unknown or lacks its value.</summary>
    public static MicroBenchArgs? Parse(IReadOnlyList<string> args, int defaultMessages)
    {
        var parsed = new MicroBenchArgs(DefaultRepeat, defaultMessages, null);
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : null;
            switch (args[i])
            {
                case "--repeat" when int.TryParse(value, out var repeat) && repeat > 0:
                    parsed = parsed with { Repeat = repeat };
                    i++;
                    break;
                case "--messages" when int.TryParse(value, out var messages) && messages > 0:
                    parsed = parsed with { Messages = messages };
                    i++;
                    break;
                case "--out" when value is not null:
                    parsed = parsed with { Output = value };
                    i++;
                    break;
                case "--smoke":
                    parsed = parsed with { Repeat = Smoke.Repeat, Messages = Smoke.Messages };
                    break;
                default:
                    return null;
            }
        }
        return parsed;
    }
}
