using System.Diagnostics;
using SocketPeer.Gateway.Options;
using SocketPeer.Gateway.Protocol;

namespace SocketPeer.Gateway.Tests.Unit;

/// <summary>Pair codes are matched whole, and no operator pattern can make matching slow.</summary>
public sealed class PairCodeValidatorTests
{
    private static PairCodeValidator With(string pattern, int maxLength = 64) =>
        new(Microsoft.Extensions.Options.Options.Create(new SocketPeerOptions
        {
            PairCode = new PairCodeOptions { Pattern = pattern, MaxLength = maxLength },
        }));

    [Theory]
    [InlineData("blue-fox\n")] // `$` alone matches before a final newline
    [InlineData("blue-fox\r\n")]
    [InlineData("\nblue-fox")]
    public void A_code_with_a_newline_does_not_match_the_default_pattern(string code) =>
        Assert.NotNull(With(new PairCodeOptions().Pattern).Validate(code));

    [Fact]
    public void A_pattern_without_anchors_still_has_to_match_the_whole_code()
    {
        var validator = With("[a-z]+");
        Assert.Null(validator.Validate("abc"));
        Assert.NotNull(validator.Validate("abc!"));
    }

    [Fact]
    public void A_catastrophic_pattern_runs_in_linear_time()
    {
        var validator = With("^(a+)+$", maxLength: 256);
        var clock = Stopwatch.StartNew();

        var why = validator.Validate(new string('a', 200) + "!");

        Assert.NotNull(why);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"took {clock.Elapsed}");
    }

    [Fact]
    public void A_pattern_the_linear_engine_cannot_run_still_works_with_a_match_timeout()
    {
        var validator = With(@"^(\w)\1$"); // a back-reference
        Assert.Null(validator.Validate("aa"));
        Assert.NotNull(validator.Validate("ab"));
    }
}
