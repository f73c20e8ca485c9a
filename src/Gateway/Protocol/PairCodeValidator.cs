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
    private readonly PairCodeOptions _rules;
    private readonly Regex _pattern;

    public PairCodeValidator(IOptions<SocketPeerOptions> options)
    {
        _rules = options.Value.PairCode;
        _pattern = new Regex(_rules.Pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled,
            TimeSpan.FromMilliseconds(50));
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
