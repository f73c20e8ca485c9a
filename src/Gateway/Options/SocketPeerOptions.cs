using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using SocketPeer.Actors.Cluster;
using SocketPeer.Actors.Sessions;

namespace SocketPeer.Gateway.Options;

/// <summary>
/// The <c>SocketPeer</c> configuration section (environment form <c>SocketPeer__Key</c>). Defaults are
/// what a public production deployment should start from; every key is in README's table.
/// Validated at start-up: a bad value stops the host with a message naming the key.
/// </summary>
public sealed class SocketPeerOptions
{
    public const string Section = "SocketPeer";

    /// <summary>
    /// Origins allowed to open a socket (for example <c>https://chat.example.com</c>); a browser
    /// from any other origin gets 403 before the upgrade. Empty allows every origin.
    /// </summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>How long a peer may wait alone in a room before it is told <c>peer-timeout</c>.</summary>
    public TimeSpan PeerTimeout { get; set; } = SessionSettings.DefaultPeerTimeout;

    /// <summary>What a pair code may look like (the default validator's rules).</summary>
    [Required, ValidateObjectMembers]
    public PairCodeOptions PairCode { get; set; } = new();

    /// <summary>Serve the browser client at <c>/socketpeer/socketpeer.js</c> (and the demo at <c>/</c>).</summary>
    public bool ServeLibrary { get; set; } = true;

    /// <summary>Largest inbound message; a larger one closes the socket with 1009. An SDP offer is 2–10 KB.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxFrameBytes { get; set; } = 64 * 1024;

    /// <summary>Sustained messages per second a connection may send (token bucket refill rate).</summary>
    [Range(1, 100_000)]
    public int MessagesPerSecond { get; set; } = 50;

    /// <summary>
    /// Messages a connection may send at once above the sustained rate (bucket size; ICE gathering
    /// sends a burst of candidates). Past it, messages are dropped with <c>rate-limited</c>; a
    /// connection that keeps going for another burst's worth is closed with 1008.
    /// </summary>
    [Range(1, 100_000)]
    public int MessageBurst { get; set; } = 100;

    /// <summary>Open sockets one client address may hold; more get 429 before the upgrade.</summary>
    [Range(1, 100_000)]
    public int ConnectionsPerAddress { get; set; } = 32;

    /// <summary>
    /// Open sockets this node holds at most; more get 503 with <c>Retry-After</c> before the upgrade.
    /// 0 derives the cap from the open-files limit less a headroom for the process
    /// (<see cref="Capacity.ConnectionCapacity"/>); a value above that cap is cut down to it, with a
    /// warning at start.
    /// </summary>
    [Range(0, int.MaxValue)]
    public int MaxConnections { get; set; }

    /// <summary>
    /// With a container memory limit (cgroup), new sockets get 503 while this process's working set
    /// is at or above this percentage of it. 0: never. Without a known limit it does nothing.
    /// </summary>
    [Range(0, 100)]
    public int MemoryLimitPercent { get; set; } = 85;

    /// <summary>
    /// New sockets one client address (<see cref="IPv6PrefixLength"/>) may open per minute, sustained
    /// (token bucket refill); past it and <see cref="ConnectBurst"/>, the upgrade gets 429 with <c>Retry-After</c>.
    /// </summary>
    [Range(1, 100_000)]
    public int ConnectsPerMinute { get; set; } = 120;

    /// <summary>
    /// New sockets one client address may open at once (bucket size). It must admit a whole NAT's
    /// clients (up to <see cref="ConnectionsPerAddress"/>) reconnecting together after a node crash,
    /// with room for a retry each, so it is at least <see cref="ConnectionsPerAddress"/>.
    /// </summary>
    [Range(1, 100_000)]
    public int ConnectBurst { get; set; } = 100;

    /// <summary>
    /// <c>pair</c> messages one client address may send per minute, sustained; past it and
    /// <see cref="PairBurst"/>, a <c>pair</c> is refused with <c>pair-limited</c> (pair-code guessing).
    /// </summary>
    [Range(1, 100_000)]
    public int PairsPerMinute { get; set; } = 60;

    /// <summary><c>pair</c> messages one client address may send at once (a NAT's clients pairing again after a crash).</summary>
    [Range(1, 100_000)]
    public int PairBurst { get; set; } = 100;

    /// <summary>
    /// <c>busy</c> answers one client address may hear per minute, sustained. An address that heard
    /// <see cref="BusyBurst"/> of them (it keeps trying codes that are taken) has its <c>pair</c>
    /// refused with <c>pair-limited</c> until the bucket refills.
    /// </summary>
    [Range(1, 100_000)]
    public int BusyPerMinute { get; set; } = 10;

    /// <summary><c>busy</c> answers one client address may hear at once before its <c>pair</c> attempts are refused.</summary>
    [Range(1, 100_000)]
    public int BusyBurst { get; set; } = 20;

    /// <summary>
    /// Bits of an IPv6 client address that name one client for every per-address limit: one host
    /// typically holds a whole /64, so a longer prefix lets it multiply its limits.
    /// </summary>
    [Range(16, 128)]
    public int IPv6PrefixLength { get; set; } = 64;

    /// <summary>Bits of an IPv4 client address that name one client for every per-address limit.</summary>
    [Range(8, 32)]
    public int IPv4PrefixLength { get; set; } = 32;

    /// <summary>
    /// Networks (<c>10.0.0.0/8</c>, <c>fd00::/8</c>) or addresses of the reverse proxies in front of
    /// this server: only a connection from one of them has its <c>X-Forwarded-For</c> and
    /// <c>X-Forwarded-Proto</c> honoured (walking the chain right to left while each hop is trusted).
    /// Empty: the headers are ignored and the client address is the connection's.
    /// </summary>
    public string[] TrustedProxies { get; set; } = [];

    /// <summary>
    /// Where health (<c>/healthz</c>, <c>/ready</c>) and metrics (<c>/metrics</c>) are served, as one
    /// <c>http://host:port</c> URL (<c>http://+:9090</c>); they are then served there only, and the
    /// public address serves everything else only. Empty: everything on the public address.
    /// </summary>
    public string? ManagementUrl { get; set; }

    /// <summary>
    /// Messages queued toward one client that has not read them yet. A client that falls this far
    /// behind is closed with 4000 (slow consumer) rather than buffered without bound.
    /// </summary>
    [Range(1, 100_000)]
    public int OutboundQueueLength { get; set; } = 256;

    /// <summary>
    /// Bytes queued toward one client that has not read them yet (relayed payloads). 256 queued
    /// 64 KB messages would pin 16 MB per socket; past this many bytes the client is closed with 4000.
    /// </summary>
    [Range(64 * 1024, 256 * 1024 * 1024)]
    public int OutboundQueueBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>
    /// How long one send to a client may take. A client whose TCP window stays full (it stopped
    /// reading) would otherwise hold the send, and with it the socket and its queue, for good:
    /// past this the socket is aborted and its session told the connection closed.
    /// </summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a message may take from its first frame's header to its last frame. A header that
    /// announces more than ever comes (ASP.NET Core does not expose a frame's declared length), or a
    /// message left without its final fragment, is closed with 1008 after this.
    /// </summary>
    public TimeSpan MessageTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Empty fragments one message may have. Every other fragment carries at least a byte, so
    /// <see cref="MaxFrameBytes"/> bounds them; empty ones cost a header each and nothing else bounds
    /// them. More closes with 1008.
    /// </summary>
    [Range(0, 100_000)]
    public int EmptyFramesPerMessage { get; set; } = 16;

    /// <summary>
    /// How long a client may take to send the headers of its HTTP upgrade request (Kestrel's
    /// <c>RequestHeadersTimeout</c>): a client that trickles them is dropped after this.
    /// </summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Ingress lanes on this node: long-lived Akka.Streams graphs that carry every socket's messages
    /// into the sessions, each socket on one lane (docs/architecture.md, the edge). One per core by default.
    /// </summary>
    [Range(1, 1024)]
    public int IngressLanes { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// Messages one ingress lane holds before the sockets' readers wait for room (its bounded
    /// channel): past it, backpressure reaches the socket reads.
    /// </summary>
    [Range(1, 1_000_000)]
    public int IngressLaneCapacity { get; set; } = 1024;

    /// <summary>WebSocket ping interval, which keeps proxies from dropping idle sockets.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a ping may wait for its pong before the socket is aborted (a client, or a path to
    /// it, that went silent). Zero: never (pings are sent but not awaited).
    /// </summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// How long a socket in no room (never paired, or left after <c>busy</c>, <c>peer-timeout</c> or
    /// <c>leave</c>) may send nothing before it is closed with 4002. Zero: never.
    /// </summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a closing handshake may take before the socket is aborted.</summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>STUN and TURN servers handed to clients.</summary>
    [Required, ValidateObjectMembers]
    public IceOptions Ice { get; set; } = new();

    /// <summary>Join tokens: the application's backend decides who may use which pair code (docs/protocol.md).</summary>
    [Required]
    public JoinTokens.JoinTokenOptions JoinTokens { get; set; } = new();

    /// <summary>Resume: sessions that outlive a dropped socket (docs/protocol.md).</summary>
    public ResumeOptions Resume { get; set; } = new();

    /// <summary>Room events for the application's backend, as signed webhooks (docs/webhooks.md). Off while no URL is set.</summary>
    [Required]
    public Webhooks.WebhookOptions Webhook { get; set; } = new();

    /// <summary>Cluster membership of this node (docs/architecture.md section 8).</summary>
    [Required]
    public ClusterSettings Cluster { get; set; } = new();
}

/// <summary>The default pair-code rules; replace <see cref="Protocol.IPairCodeValidator"/> for others.</summary>
public sealed class PairCodeOptions
{
    [Range(1, 256)]
    public int MinLength { get; set; } = 1;

    [Range(1, 256)]
    public int MaxLength { get; set; } = 64;

    /// <summary>A regular expression every code must match in full. Default: URL-safe characters.</summary>
    [Required]
    public string Pattern { get; set; } = "^[A-Za-z0-9_.~:-]+$";
}
