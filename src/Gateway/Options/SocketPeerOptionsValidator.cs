using Microsoft.Extensions.Options;
using SocketPeer.Actors.Cluster;

namespace SocketPeer.Gateway.Options;

/// <summary>The rules data annotations cannot say: time spans, the pattern, min ≤ max, seed addresses, cluster timings.</summary>
public sealed class SocketPeerOptionsValidator : IValidateOptions<SocketPeerOptions>
{
    public ValidateOptionsResult Validate(string? name, SocketPeerOptions o)
    {
        var failures = new List<string>();
        Positive(nameof(o.PeerTimeout), o.PeerTimeout);
        Positive(nameof(o.KeepAliveInterval), o.KeepAliveInterval, allowZero: true);
        Positive(nameof(o.CloseTimeout), o.CloseTimeout);
        // Deadlines become timers, which take at most ~49 days; a day is already far past any use.
        Deadline(nameof(o.SendTimeout), o.SendTimeout);
        Deadline(nameof(o.MessageTimeout), o.MessageTimeout);
        Deadline(nameof(o.HandshakeTimeout), o.HandshakeTimeout);
        Deadline(nameof(o.KeepAliveTimeout), o.KeepAliveTimeout, allowZero: true);
        Deadline(nameof(o.IdleTimeout), o.IdleTimeout, allowZero: true);
        if (o.KeepAliveTimeout > TimeSpan.Zero && o.KeepAliveInterval == TimeSpan.Zero)
            failures.Add("SocketPeer:KeepAliveTimeout is set but KeepAliveInterval is zero: no ping would be sent to time out.");
        if (o.OutboundQueueBytes < o.MaxFrameBytes)
            failures.Add($"SocketPeer:OutboundQueueBytes ({o.OutboundQueueBytes}) is smaller than MaxFrameBytes ({o.MaxFrameBytes}): one relayed message would close its reader.");
        if (o.PairCode.MinLength > o.PairCode.MaxLength)
            failures.Add($"SocketPeer:PairCode:MinLength ({o.PairCode.MinLength}) is larger than MaxLength ({o.PairCode.MaxLength}).");
        try { _ = Protocol.PairCodeValidator.Compile(o.PairCode.Pattern); }
        catch (ArgumentException e) { failures.Add($"SocketPeer:PairCode:Pattern is not a valid regular expression: {e.Message}"); }
        foreach (var origin in o.AllowedOrigins)
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.PathAndQuery != "/")
                failures.Add($"SocketPeer:AllowedOrigins: '{origin}' is not an origin (scheme://host[:port]).");
        if (o.Cluster.Port is < 0 or > 65535)
            failures.Add($"SocketPeer:Cluster:Port {o.Cluster.Port} is not a port (0 takes any free port).");
        if (string.IsNullOrWhiteSpace(o.Cluster.Hostname))
            failures.Add("SocketPeer:Cluster:Hostname is empty.");
        if (o.Cluster.Hostname is "0.0.0.0" or "::" && string.IsNullOrWhiteSpace(o.Cluster.PublicHostname))
            failures.Add($"SocketPeer:Cluster:Hostname {o.Cluster.Hostname} binds every interface but other nodes cannot reach it: set SocketPeer:Cluster:PublicHostname.");
        foreach (var seed in o.Cluster.SeedNodes)
            if (!seed.StartsWith("akka.tcp://socketpeer@", StringComparison.Ordinal) && !seed.StartsWith("akka.ssl.tcp://socketpeer@", StringComparison.Ordinal))
                failures.Add($"SocketPeer:Cluster:SeedNodes: '{seed}' is not akka.tcp://socketpeer@host:port (or akka.ssl.tcp://).");
        foreach (var role in o.Cluster.Roles)
            if (!IsRoleName(role))
                failures.Add($"SocketPeer:Cluster:Roles: '{role}' is not a role name (no spaces or commas).");
        if (!string.IsNullOrEmpty(o.Cluster.RoomRole) && !IsRoleName(o.Cluster.RoomRole))
            failures.Add($"SocketPeer:Cluster:RoomRole: '{o.Cluster.RoomRole}' is not one role name (no spaces or commas).");
        // A NAT's clients reconnect together after a node crash (and the original client pairs again):
        // the bursts must admit all of them (docs/security.md).
        AtLeastConnections(nameof(o.ConnectBurst), o.ConnectBurst);
        AtLeastConnections(nameof(o.PairBurst), o.PairBurst);
        AtLeastConnections("Ice:CredentialBurst", o.Ice.CredentialBurst);
        foreach (var proxy in o.TrustedProxies)
            if (!Limits.TrustedProxies.TryParse(proxy, out _))
                failures.Add($"SocketPeer:TrustedProxies: '{proxy}' is not an address or a network (10.0.0.0/8, fd00::/8).");
        ValidateTimings(o.Cluster.Timings, failures);
        failures.AddRange(o.Cluster.RelayBatching.Problems());
        // Reads the certificate files: a node that would fail every TLS handshake stops here instead.
        failures.AddRange(o.Cluster.Tls.Problems());
        ValidateIce(o.Ice, failures);
        failures.AddRange(o.JoinTokens.Problems());
        failures.AddRange(o.Webhook.Problems());
        if (!string.IsNullOrEmpty(o.Resume.Secret) && o.Resume.SecretBytes() is not { Length: >= 32 })
            failures.Add("SocketPeer:Resume:Secret must be base64 of at least 32 bytes (e.g. `openssl rand -base64 32`).");
        if (!Protocol.KeyId.IsValid(o.Resume.SecretId))
            failures.Add($"SocketPeer:Resume:SecretId '{o.Resume.SecretId}' is no key id: 1 to {Protocol.KeyId.MaxLength} of A-Z a-z 0-9 . _ -");
        if (o.Resume.PreviousSecrets.Count > 0 && string.IsNullOrEmpty(o.Resume.Secret))
            failures.Add("SocketPeer:Resume:PreviousSecrets are set but SocketPeer:Resume:Secret is not: nothing would sign new tokens.");
        for (var i = 0; i < o.Resume.PreviousSecrets.Count; i++)
        {
            var previous = o.Resume.PreviousSecrets[i];
            if (!Protocol.KeyId.IsValid(previous.Id))
                failures.Add($"SocketPeer:Resume:PreviousSecrets:{i}:Id '{previous.Id}' is no key id: 1 to {Protocol.KeyId.MaxLength} of A-Z a-z 0-9 . _ -");
            else if (previous.Id == o.Resume.SecretId || o.Resume.PreviousSecrets.Take(i).Any(p => p.Id == previous.Id))
                failures.Add($"SocketPeer:Resume:PreviousSecrets:{i}:Id '{previous.Id}' is used by another resume secret: ids must differ.");
            if (ResumeOptions.Decode(previous.Secret) is not { Length: >= 32 })
                failures.Add($"SocketPeer:Resume:PreviousSecrets:{i}:Secret must be base64 of at least 32 bytes.");
        }
        Positive("Resume:Grace", o.Resume.Grace);
        Positive("Resume:TokenLifetime", o.Resume.TokenLifetime);
        if (o.Resume.TokenLifetime < o.Resume.Grace)
            failures.Add($"SocketPeer:Resume:TokenLifetime ({o.Resume.TokenLifetime}) must be at least Resume:Grace ({o.Resume.Grace}).");
        if (o.Resume.BufferMessages is < 1 or > 100_000)
            failures.Add($"SocketPeer:Resume:BufferMessages must be between 1 and 100000 (got {o.Resume.BufferMessages}).");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

        static void ValidateIce(IceOptions ice, List<string> failures)
        {
            foreach (var url in ice.StunUrls)
                if (!url.StartsWith("stun:", StringComparison.Ordinal) && !url.StartsWith("stuns:", StringComparison.Ordinal))
                    failures.Add($"SocketPeer:Ice:StunUrls: '{url}' is not a stun: or stuns: URL.");
            foreach (var url in ice.TurnUrls)
                if (!url.StartsWith("turn:", StringComparison.Ordinal) && !url.StartsWith("turns:", StringComparison.Ordinal))
                    failures.Add($"SocketPeer:Ice:TurnUrls: '{url}' is not a turn: or turns: URL.");
            if (ice.TurnUrls.Length > 0 && string.IsNullOrEmpty(ice.TurnSecret))
                failures.Add("SocketPeer:Ice:TurnUrls are set but SocketPeer:Ice:TurnSecret is not: clients could not authenticate.");
            if (ice.TurnUrls.Length == 0 && !string.IsNullOrEmpty(ice.TurnSecret))
                failures.Add("SocketPeer:Ice:TurnSecret is set but SocketPeer:Ice:TurnUrls is empty.");
            if (ice.CredentialLifetime <= TimeSpan.Zero || ice.CredentialLifetime > TimeSpan.FromDays(1))
                failures.Add($"SocketPeer:Ice:CredentialLifetime must be more than zero and at most a day (got {ice.CredentialLifetime}).");
        }

        static bool IsRoleName(string role) =>
            role.Length > 0 && !role.Any(c => char.IsWhiteSpace(c) || c == ',');

        static void ValidateTimings(ClusterTimings t, List<string> failures)
        {
            const string prefix = "SocketPeer:Cluster:Timings:";
            foreach (var (key, value) in new[]
                     {
                         (nameof(t.HeartbeatInterval), t.HeartbeatInterval),
                         (nameof(t.AcceptableHeartbeatPause), t.AcceptableHeartbeatPause),
                         (nameof(t.StableAfter), t.StableAfter),
                         (nameof(t.LeaderActionsInterval), t.LeaderActionsInterval),
                         (nameof(t.UnreachableNodesReaperInterval), t.UnreachableNodesReaperInterval),
                         (nameof(t.GossipInterval), t.GossipInterval),
                     })
                if (value < TimeSpan.FromMilliseconds(1) || value > TimeSpan.FromMinutes(10))
                    failures.Add($"{prefix}{key} must be between 1 ms and 10 minutes (got {value}).");
            if (t.DownRemovalMargin < TimeSpan.Zero || t.DownRemovalMargin > TimeSpan.FromMinutes(10))
                failures.Add($"{prefix}{nameof(t.DownRemovalMargin)} must be between zero and 10 minutes (got {t.DownRemovalMargin}).");
            if (t.AcceptableHeartbeatPause < t.HeartbeatInterval)
                failures.Add($"{prefix}{nameof(t.AcceptableHeartbeatPause)} ({t.AcceptableHeartbeatPause}) is shorter than {nameof(t.HeartbeatInterval)} ({t.HeartbeatInterval}): every node would be suspected.");
            // Akka refuses a tick under 10 ms; one as long as the shortest interval would make every timer late by a period.
            var shortest = new[] { t.HeartbeatInterval, t.LeaderActionsInterval, t.UnreachableNodesReaperInterval, t.GossipInterval }.Min();
            if (t.SchedulerTick < TimeSpan.FromMilliseconds(10) || t.SchedulerTick > TimeSpan.FromSeconds(1) || t.SchedulerTick * 2 > shortest)
                failures.Add($"{prefix}{nameof(t.SchedulerTick)} must be between 10 ms and 1 s and at most half the shortest of HeartbeatInterval, LeaderActionsInterval, UnreachableNodesReaperInterval and GossipInterval ({shortest}) (got {t.SchedulerTick}).");
            if (!(t.FailureDetectorThreshold is >= 1 and <= 100))
                failures.Add($"{prefix}{nameof(t.FailureDetectorThreshold)} must be between 1 and 100 (got {t.FailureDetectorThreshold}).");
        }

        void Deadline(string key, TimeSpan value, bool allowZero = false)
        {
            Positive(key, value, allowZero);
            if (value > TimeSpan.FromDays(1))
                failures.Add($"SocketPeer:{key} must be at most a day (got {value}).");
        }

        void AtLeastConnections(string key, int burst)
        {
            if (burst < o.ConnectionsPerAddress)
                failures.Add($"SocketPeer:{key} ({burst}) is smaller than ConnectionsPerAddress ({o.ConnectionsPerAddress}): a NAT's clients reconnecting together after a node crash would be refused.");
        }

        void Positive(string key, TimeSpan value, bool allowZero = false)
        {
            if (value < TimeSpan.Zero || (!allowZero && value == TimeSpan.Zero))
                failures.Add($"SocketPeer:{key} must be {(allowZero ? "zero or more" : "more than zero")} (got {value}).");
        }
    }
}
