using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Sessions;

namespace SocketPeer.Actors.Tests.Infrastructure.Cluster;

/// <summary>
/// The in-memory world of <see cref="World"/>, on nodes that crash, with simulated time and clients
/// of the original protocol. A session lives on its client's node; a room on the node its shard was
/// allocated to. A crash loses the node's entities and every message on its way to or from it; the
/// node turns unreachable after <see cref="DetectionDelay"/> and is removed <see cref="RemovalDelay"/>
/// later (<see cref="DownedRemovalDelay"/> after a kill -9). Until removal, what is sent to its entities is lost; after, a message to one of them makes
/// a fresh entity on a survivor (as sharding does), and watchers of its entities hear they terminated.
/// Messages move on FIFO channels per (sender, receiver) address, in the order the caller picks; time
/// moves only when the caller advances it. Partial: sessions and rooms are in their own files.
/// </summary>
internal sealed partial class ClusterWorld
{
    /// <summary>From a kill -9 to unreachable: heartbeat pause and phi threshold (docs/failover.md: ~3 s).</summary>
    public static readonly TimeSpan DetectionDelay = TimeSpan.FromSeconds(3);

    /// <summary>From unreachable to removed, for a silent node: the resolver's stable-after (3 s), then the removal margin (1 s).</summary>
    public static readonly TimeSpan RemovalDelay = TimeSpan.FromSeconds(4);

    /// <summary>
    /// From a kill -9 to unreachable: its connections reset, its port refuses connections, and
    /// CrashedProcessDowning quarantines it, which the cluster counts as terminated (a probe, ~0.1 s).
    /// </summary>
    public static readonly TimeSpan QuarantineDelay = TimeSpan.FromSeconds(0.1);

    /// <summary>
    /// From quarantined to removed after a kill -9: the node is downed too, so only the removal
    /// (a gossip round and a leader action, ~0.3 s) and the removal margin (1 s) remain.
    /// </summary>
    public static readonly TimeSpan DownedRemovalDelay = TimeSpan.FromSeconds(1.3);

    private readonly SimClock _clock = new();
    private readonly SimNodes _nodes;
    private readonly List<OriginalClient> _clients = [];
    private readonly Dictionary<SessionId, SessionEntity> _sessions = [];
    private readonly Dictionary<PairCode, RoomEntity> _rooms = [];
    private readonly Dictionary<SessionId, NodeId> _sessionHomes = [];
    private readonly Dictionary<SessionId, NodeId> _namedNode = [];
    private readonly HashSet<NodeId> _connectionsReset = [];
    private readonly Dictionary<PairCode, NodeId> _roomHomes = [];
    private readonly Dictionary<EntityRef, HashSet<EntityRef>> _watchers = [];
    private readonly Dictionary<NodeId, List<EntityRef>> _lostWithNode = [];
    private readonly Dictionary<(string From, string To), Queue<Envelope>> _channels = [];
    private readonly List<(string From, string To)> _channelOrder = [];
    private readonly Dictionary<string, SentRelay> _sent = [];
    private readonly List<Delivery> _deliveries = [];
    private readonly List<string> _trace = [];
    private long _incarnations;
    private int _nextPayload;

    /// <param name="codes">each client's pair code, in client order</param>
    /// <param name="peerTimeout">the sessions' <c>PeerTimeout</c> (default: <see cref="PeerTimeout"/>)</param>
    public ClusterWorld(int nodes, IReadOnlyList<PairCode> codes, TimeSpan? peerTimeout = null)
    {
        _settings = new SessionSettings(peerTimeout ?? PeerTimeout);
        _nodes = new SimNodes(nodes);
        for (var i = 0; i < codes.Count; i++)
        {
            var client = new OriginalClient(i, codes[i], i % nodes);
            _clients.Add(client);
            Connect(client);
        }
    }

    public TimeSpan Now => _clock.Now;
    public int MaxMembers { get; private set; }
    public bool DuplicateMember { get; private set; }
    public IReadOnlyDictionary<string, SentRelay> Sent => _sent;
    public IReadOnlyList<Delivery> Deliveries => _deliveries;
    public IReadOnlyList<OriginalClient> Clients => _clients;
    public SimNodes Nodes => _nodes;

    /// <summary>When the last crash's node was (or will be) removed; zero without crashes.</summary>
    public TimeSpan LastRemoval { get; private set; }

    public string Trace => string.Join(Environment.NewLine, _trace);

    private void Note(string line) => _trace.Add($"{_clock.Now.TotalSeconds,7:0.000}s {line}");

    // ---- faults and time

    public bool CanCrash(int slot) => _nodes.CanCrash(slot);

    /// <summary>
    /// The node's process is gone, with its entities, sockets and messages in flight. After a kill -9
    /// its kernel resets its connections, which the survivors notice at once (LostConnections);
    /// a silent node (a lost machine, a cut cable) resets nothing, and only the failure detector tells.
    /// </summary>
    public void Crash(int slot, bool silent = false)
    {
        var node = _nodes.Crash(slot);
        if (!silent) _connectionsReset.Add(node);
        Note($"CRASH {node} ({(silent ? "silent" : "kill -9")})");
        var lost = new List<EntityRef>();
        foreach (var (id, s) in _sessions.Where(e => e.Value.Self.Node == node).ToList())
        {
            _sessions.Remove(id);
            CancelTimers(s);
            lost.Add(s.Self);
        }
        foreach (var (code, r) in _rooms.Where(e => e.Value.Self.Node == node).ToList())
        {
            _rooms.Remove(code);
            CancelRoomTimers(r);
            lost.Add(r.Self);
        }
        foreach (var queue in _channels.Values)
        {
            // A Terminated the node sent and nobody got yet: the watch still stands, and fires at the removal.
            foreach (var e in queue.Where(e => e.From == node && e.Message is Terminated && e.To != node))
            {
                var who = ((Terminated)e.Message).Who;
                if (!_watchers.TryGetValue(who, out var set)) _watchers[who] = set = [];
                set.Add(e.Direct!);
                if (!lost.Contains(who)) lost.Add(who);
            }
            var kept = queue.Where(e => e.From != node && e.To != node).ToList();
            foreach (var e in queue.Except(kept))
                Note($"    lost in flight ({(e.From == node ? "from" : "to")} {node}): {Describe(e.Message)}");
            queue.Clear();
            foreach (var e in kept) queue.Enqueue(e);
        }
        _lostWithNode[node] = lost;
        foreach (var client in _clients.Where(c => c.Connected && c.Node == node))
            Drop(client, "its node crashed", tellSession: false);
        var detection = silent ? DetectionDelay : QuarantineDelay;
        _clock.Start(detection, $"{node} unreachable", () =>
        {
            _nodes.MarkUnreachable(node);
            Note($"{node} is UNREACHABLE");
        });
        var removal = detection + (silent ? RemovalDelay : DownedRemovalDelay);
        LastRemoval = _clock.Now + removal;
        _clock.Start(removal, $"{node} removed", () => Remove(node));
    }

    private void Remove(NodeId node)
    {
        _nodes.MarkRemoved(node);
        Note($"{node} is REMOVED");
        // DeathWatch: a watcher hears of an actor on a lost node when the node is removed.
        foreach (var lost in _lostWithNode[node])
            Terminate(lost);
    }

    public bool CanRestart(int slot) => _nodes.CanRestart(slot);

    public void Restart(int slot) => Note($"RESTART {_nodes.Restart(slot)}");

    /// <summary>Moves the clock on by <paramref name="by"/>, firing the timers due meanwhile (messages stay where they are).</summary>
    public void Advance(TimeSpan by) => _clock.AdvanceTo(_clock.Now + by, t => Note($"timer: {t.What}"));

    /// <summary>Fires the next timer due by <paramref name="until"/>, if any.</summary>
    public bool FireNextTimer(TimeSpan until) => _clock.FireNext(until, t => Note($"timer: {t.What}"));

    public TimeSpan? NextTimerDue => _clock.NextDue;

    /// <summary>Fair delivery until <paramref name="until"/>: everything moves, then the next timer fires, and so on.</summary>
    public void RunFairlyUntil(TimeSpan until)
    {
        do Settle();
        while (FireNextTimer(until));
        if (until > _clock.Now) _clock.AdvanceTo(until, t => Note($"timer: {t.What}"));
    }

    // ---- clients

    /// <summary>The client's socket drops (a network blip); it reconnects after its back-off.</summary>
    public void Close(int client)
    {
        var c = _clients[client];
        if (c.Connected) Drop(c, "its socket dropped", tellSession: true);
    }

    /// <summary>A paired client relays a message to its partner; returns its payload.</summary>
    public string? Relay(int client)
    {
        var c = _clients[client];
        if (!c.Connected || !c.ThinksItIsPaired) return null;
        var payload = $"m{_nextPayload++}";
        FromClient(c, new ClientRelay(c.Session, RelayKind.Data, System.Text.Encoding.UTF8.GetBytes($"\"{payload}\"")));
        return payload;
    }

    /// <summary>Both clients think they are paired, and their sessions are paired with each other.</summary>
    public bool PairedWithEachOther(int a, int b)
    {
        var (ca, cb) = (_clients[a], _clients[b]);
        return ca.Connected && cb.Connected && ca.ThinksItIsPaired && cb.ThinksItIsPaired
            && _sessions.TryGetValue(ca.Session, out var sa) && _sessions.TryGetValue(cb.Session, out var sb)
            && sa.State.Phase is SessionPhase.Paired pa && pa.Partner == cb.Session
            && sb.State.Phase is SessionPhase.Paired pb && pb.Partner == ca.Session;
    }

    /// <summary>What a client's current session is, for failure messages.</summary>
    public string Describe(int client)
    {
        var c = _clients[client];
        var session = _sessions.TryGetValue(c.Session, out var s) ? $"{s.Self} {s.State.Phase}" : "(no entity)";
        return $"{c} on {c.Node} connected={c.Connected} paired={c.ThinksItIsPaired} failures={c.Failures} session {c.Session}: {session}";
    }

    private void Connect(OriginalClient client)
    {
        // The next node that accepts sockets, starting with the client's choice.
        var slot = Enumerable.Range(0, _nodes.Slots).Select(i => (client.Slot + i) % _nodes.Slots)
            .First(s => _nodes.IsUp(_nodes.Current(s)));
        client.Slot = slot;
        client.Node = _nodes.Current(slot);
        client.Session = new SessionId($"s{client.Index}.{client.Connections++}");
        client.Connected = true;
        client.ThinksItIsPaired = false;
        _sessionHomes[client.Session] = client.Node;
        _namedNode[client.Session] = client.Node; // ids name the node of their socket
        Note($"{client} connects to {client.Node} as {client.Session}");
        FromClient(client, new AttachConnection(client.Session, Akka.Actor.ActorRefs.Nobody));
        FromClient(client, new ClientPair(client.Session, client.Code));
    }

    /// <summary>The socket is gone; the client reconnects, to the next node, after its back-off.</summary>
    private void Drop(OriginalClient client, string why, bool tellSession)
    {
        if (tellSession) FromClient(client, new ConnectionClosed(client.Session));
        client.Connected = false;
        client.ThinksItIsPaired = false;
        var backoff = client.NextBackoff();
        Note($"{client} is disconnected ({why}); reconnects in {backoff.TotalSeconds:0}s");
        client.Slot = (client.Slot + 1) % _nodes.Slots;
        client.Reconnect?.Cancel();
        client.Reconnect = _clock.Start(backoff, $"{client} reconnects", () => Connect(client));
    }

    private void FromClient(OriginalClient client, IWithSessionId message) =>
        Enqueue($"client:{client.Session}", $"session:{client.Session}", new Envelope(message, null, client.Node, client.Node));

    /// <summary>What the session tells its connection reaches the client if that socket is still its live one.</summary>
    private void ToClient(SessionEntity session, IClientMessage message)
    {
        if (message is RelayedNotice r)
            _deliveries.Add(new Delivery(session.State.Id, Payload(r.Payload), session.State.Phase));
        var client = _clients.FirstOrDefault(c => c.Connected && c.Session == session.State.Id);
        if (client is null || !session.Attached) return;
        switch (message)
        {
            case RelayedNotice relayed:
                client.ReceivedPayloads.Add(Payload(relayed.Payload));
                break;
            case PeerFoundNotice:
                Note($"{client} hears peer.found");
                client.ThinksItIsPaired = true;
                client.Failures = 0;
                break;
            case PeerLeftNotice:
                Note($"{client} hears peer.left");
                client.ThinksItIsPaired = false;
                break;
            case BusyNotice:
                Note($"{client} hears busy");
                Drop(client, "busy: it closes", tellSession: true);
                break;
            case RefusedNotice { Refusal: Refusal.PeerTimeout }:
                Note($"{client} hears peer-timeout and pairs again");
                client.ThinksItIsPaired = false;
                FromClient(client, new ClientPair(client.Session, client.Code));
                break;
        }
    }

    private static string Payload(byte[] json) => System.Text.Encoding.UTF8.GetString(json).Trim('"');

    // ---- channels

    private void Enqueue(string from, string to, Envelope envelope)
    {
        if (!_nodes.IsUp(envelope.To))
        {
            Note($"    lost ({envelope.To} is down): {from} -> {to}: {Describe(envelope.Message)}");
            return;
        }
        if (!_channels.TryGetValue((from, to), out var queue))
        {
            _channels[(from, to)] = queue = new Queue<Envelope>();
            _channelOrder.Add((from, to));
        }
        queue.Enqueue(envelope);
    }

    /// <summary>Delivers the head of one non-empty channel, chosen by <paramref name="pick"/>; false when all are empty.</summary>
    public bool DeliverOne(int pick)
    {
        var ready = _channelOrder.Where(c => _channels[c].Count > 0).ToList();
        if (ready.Count == 0) return false;
        Deliver(ready[pick % ready.Count]);
        return true;
    }

    public void Settle()
    {
        for (var steps = 0; DeliverOne(0); steps++)
            if (steps > 100_000)
                throw new InvalidOperationException(
                    $"the world does not settle: messages go round without end (a livelock); how it began:{Environment.NewLine}"
                    + string.Join(Environment.NewLine, _trace.Take(400)));
    }

    private void Deliver((string From, string To) channel)
    {
        var envelope = _channels[channel].Dequeue();
        Note($"{channel.From} -> {channel.To}: {Describe(envelope.Message)}");
        if (!_nodes.IsUp(envelope.To))
        {
            Note($"    lost: {envelope.To} is down");
            return;
        }
        switch (envelope.Message)
        {
            case IWithPairCode m: ToRoom(m, envelope); break;
            case IWithSessionId m: ToSession(m, envelope); break;
            case Terminated t: ToSession(t, envelope); break;
            default: throw new InvalidOperationException($"nobody takes {envelope.Message}");
        }
    }

    private static string Describe(object message) => message switch
    {
        ClientRelay m => $"ClientRelay {Payload(m.Payload)}",
        PartnerRelay m => $"PartnerRelay {m.From} -> {m.Session} in {m.Code}: {Payload(m.Payload)}",
        AttachConnection m => $"AttachConnection {m.Session}",
        _ => message.ToString() ?? "",
    };

    // ---- sharding: where an entity lives

    /// <summary>
    /// The room shard's home: kept until its node is removed, then allocated again. Allocation hashes
    /// the code over the members not yet removed: the coordinator does not know of a crash before the
    /// failure detector does, so a fresh room may land on a node that has just died.
    /// </summary>
    private NodeId RoomHome(PairCode code)
    {
        if (_roomHomes.TryGetValue(code, out var home) && _nodes.StatusOf(home) != NodeStatus.Removed) return home;
        var members = _nodes.Members.ToList();
        var chosen = members[StableHash(code.Value) % members.Count];
        _roomHomes[code] = chosen;
        return chosen;
    }

    /// <summary>A session's home is its client's node; once that node is removed, the node that asked (LocalSessionAllocationStrategy).</summary>
    private NodeId SessionHome(SessionId id, NodeId asking)
    {
        if (_sessionHomes.TryGetValue(id, out var home) && _nodes.StatusOf(home) != NodeStatus.Removed) return home;
        _sessionHomes[id] = asking;
        return asking;
    }

    private static int StableHash(string s) => s.Aggregate(17, (h, c) => unchecked(h * 31 + c)) & int.MaxValue;

    private EntityRef NewRef(string address, NodeId node) => new(address, ++_incarnations, node);

    // ---- DeathWatch

    private void Watch(EntityRef watcher, EntityRef watched)
    {
        if (IsAlive(watched) || _nodes.StatusOf(watched.Node) is NodeStatus.Crashed or NodeStatus.Unreachable)
        {
            // Alive, or lost with a node not yet removed: Terminated comes at its stop or the node's removal.
            if (!_watchers.TryGetValue(watched, out var set)) _watchers[watched] = set = [];
            set.Add(watcher);
        }
        else
        {
            Enqueue(watched.Address, watcher.Address, new Envelope(new Terminated(watched), null, NotifyingNode(watched, watcher), watcher.Node, watcher));
        }
    }

    private void Unwatch(EntityRef watcher, EntityRef watched)
    {
        if (_watchers.TryGetValue(watched, out var set)) set.Remove(watcher);
    }

    /// <summary>The incarnation is gone: each watcher still alive hears it, after what it sent them (same channel).</summary>
    private void Terminate(EntityRef gone)
    {
        if (!_watchers.Remove(gone, out var watchers)) return;
        foreach (var watcher in watchers.Where(IsAlive))
            Enqueue(gone.Address, watcher.Address, new Envelope(new Terminated(gone), null, NotifyingNode(gone, watcher), watcher.Node, watcher));
    }

    /// <summary>
    /// Who sends a Terminated: the stopped actor's node while it runs (so a crash loses it with the
    /// node's other messages in flight, and the watcher hears it at the removal instead), else the
    /// watcher's own node (a removed node's actors are declared terminated locally).
    /// </summary>
    private NodeId NotifyingNode(EntityRef gone, EntityRef watcher) => _nodes.IsUp(gone.Node) ? gone.Node : watcher.Node;

    private bool IsAlive(EntityRef entity) => entity.Address.StartsWith("session:", StringComparison.Ordinal)
        ? _sessions.TryGetValue(new SessionId(entity.Address["session:".Length..]), out var s) && s.Self == entity
        : _rooms.TryGetValue(new PairCode(entity.Address["room:".Length..]), out var r) && r.Self == entity;
}
