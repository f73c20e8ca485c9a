using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace SocketPeer.Gateway.Options;

/// <summary>The rules data annotations cannot say: time spans, the pattern, min ≤ max, seed addresses.</summary>
public sealed class SocketPeerOptionsValidator : IValidateOptions<SocketPeerOptions>
{
    public ValidateOptionsResult Validate(string? name, SocketPeerOptions o)
    {
        var failures = new List<string>();
        Positive(nameof(o.PeerTimeout), o.PeerTimeout);
        Positive(nameof(o.KeepAliveInterval), o.KeepAliveInterval, allowZero: true);
        Positive(nameof(o.CloseTimeout), o.CloseTimeout);
        if (o.PairCode.MinLength > o.PairCode.MaxLength)
            failures.Add($"SocketPeer:PairCode:MinLength ({o.PairCode.MinLength}) is larger than MaxLength ({o.PairCode.MaxLength}).");
        try { _ = new Regex(o.PairCode.Pattern); }
        catch (ArgumentException e) { failures.Add($"SocketPeer:PairCode:Pattern is not a valid regular expression: {e.Message}"); }
        foreach (var origin in o.AllowedOrigins)
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.PathAndQuery != "/")
                failures.Add($"SocketPeer:AllowedOrigins: '{origin}' is not an origin (scheme://host[:port]).");
        if (o.Cluster.Port is < 0 or > 65535)
            failures.Add($"SocketPeer:Cluster:Port {o.Cluster.Port} is not a port (0 takes any free port).");
        if (string.IsNullOrWhiteSpace(o.Cluster.Hostname))
            failures.Add("SocketPeer:Cluster:Hostname is empty.");
        foreach (var seed in o.Cluster.SeedNodes)
            if (!seed.StartsWith("akka.tcp://socketpeer@", StringComparison.Ordinal))
                failures.Add($"SocketPeer:Cluster:SeedNodes: '{seed}' is not akka.tcp://socketpeer@host:port.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

        void Positive(string key, TimeSpan value, bool allowZero = false)
        {
            if (value < TimeSpan.Zero || (!allowZero && value == TimeSpan.Zero))
                failures.Add($"SocketPeer:{key} must be {(allowZero ? "zero or more" : "more than zero")} (got {value}).");
        }
    }
}
