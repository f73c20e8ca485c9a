using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using SocketPeer.Gateway.Options;

namespace SocketPeer.Gateway.Protocol;

/// <summary>Decides which pair codes are acceptable. Register your own to change the rules.</summary>
public interface IPairCodeValidator
{
    /// <returns>null when <paramref name="code"/> is acceptable, else why not (sent to the client).</returns>
    string? Validate(string code);
}

/// <summary>Length and pattern from <c>SocketPeer:PairCode</c>.</summary>
public sealed class PairCodeValidator : IPairCodeValidator
{
    /// <summary>Only for a pattern the non-backtracking engine cannot run (back-references, lookarounds).</summary>
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(50);

    private readonly PairCodeOptions _rules;
    private readonly Regex _pattern;

    public PairCodeValidator(IOptions<SocketPeerOptions> options)
    {
        _rules = options.Value.PairCode;
        _pattern = Compile(_rules.Pattern);
    }

    /// <summary>
    /// The operator's pattern, matched against the whole code: <c>$</c> also matches before a final
    /// newline, so <c>\z</c> is added. It runs on the non-backtracking engine, whose time is linear
    /// in the code's length whatever the pattern; a pattern that engine refuses runs with a match timeout.
    /// </summary>
    /// <exception cref="ArgumentException">not a regular expression.</exception>
    public static Regex Compile(string pattern)
    {
        _ = new Regex(pattern); // alone, so that wrapping cannot balance an unbalanced pattern ("a)(b")
        var whole = $@"\A(?:{pattern})\z";
        try
        {
            return new Regex(whole, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
        }
        catch (NotSupportedException)
        {
            return new Regex(whole, RegexOptions.CultureInvariant | RegexOptions.Compiled, MatchTimeout);
        }
    }

    public string? Validate(string code)
    {
        if (code.Length < _rules.MinLength || code.Length > _rules.MaxLength)
            return $"a pair code has {_rules.MinLength} to {_rules.MaxLength} characters";
        try
        {
            return _pattern.IsMatch(code) ? null : $"a pair code must match {_rules.Pattern}";
        }
        catch (RegexMatchTimeoutException)
        {
            return $"a pair code must match {_rules.Pattern}";
        }
    }
}
