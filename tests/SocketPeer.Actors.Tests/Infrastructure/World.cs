using System.Text;
using Akka.Actor;
using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Sessions;
using static SocketPeer.Actors.Sessions.SessionEffect;

namespace SocketPeer.Actors.Tests.Infrastructure;

/// <summary>
/// Clients, sessions and rooms of a small world, run in memory without actors. Messages travel on
/// channels, one per (sender, receiver), each first in, first out: the only ordering Akka promises.
/// Which channel moves next is the caller's choice, so a test can play any interleaving. A session
/// that stops is gone; a message to it makes a new, unattached one (as sharding does). A client that
/// closes reconnects at once with a fresh session, as the original client does.
/// </summary>
internal sealed class World
{
    private readonly Dictionary<SessionId, SessionState> _sessions = [];
    private readonly Dictionary<PairCode, RoomState> _rooms = [];
    private readonly Dictionary<(string From, string To), Queue<object>> _channels = [];
    private readonly List<(string From, string To)> _channelOrder = [];
    private readonly HashSet<(string From, string To)> _held = [];
    private readonly List<Client> _clients = [];
    private readonly Dictionary<SessionId, Client> _owners = [];
    private readonly Dictionary<string, SentRelay> _sent = [];
    private readonly List<Delivery> _deliveries = [];
    private readonly List<string> _trace = [];
    private int _nextPayload;

    public World(int clients)
    {
        for (var i = 0; i < clients; i++)
        {
            _clients.Add(new Client(i));
            Connect(_clients[i]);
        }
    }

    /// <summary>The largest room ever seen, and whether any room ever listed a member twice.</summary>
    public int MaxMembers { get; private set; }
    public bool DuplicateMember { get; private set; }

    /// <summary>Every relay a session sent to a partner, by its (unique) payload.</summary>
    public IReadOnlyDictionary<string, SentRelay> Sent => _sent;

    /// <summary>Every relayed message that reached a client.</summary>
    public IReadOnlyList<Delivery> Deliveries => _deliveries;

    /// <summary>What happened, one line per delivered message, for failure messages.</summary>
    public string Trace => string.Join(Environment.NewLine, _trace);

    public IReadOnlyDictionary<SessionId, SessionState> Sessions => _sessions;
    public IReadOnlyDictionary<PairCode, RoomState> Rooms => _rooms;

    /// <summary>The session of this client's current connection.</summary>
    public SessionId SessionOf(int client) => _clients[client].Session;

    /// <summary>Whether the client thinks it has a partner: it heard <c>peer.found</c> and nothing since that undoes it.</summary>
    public bool ThinksItIsPaired(int client) => _clients[client].ThinksItIsPaired;

    /// <summary>What this client heard, on all its connections.</summary>
    public IReadOnlyList<IClientMessage> Received(int client) => _clients[client].Received;

    // ---- what clients do (each goes on the client's channel to its session)

    public void Pair(int client, PairCode code) => FromClient(client, id => new ClientPair(id, code));
    public void Leave(int client) => FromClient(client, id => new ClientLeave(id));

    /// <summary>The client's socket drops; it reconnects at once with a new session.</summary>
    public void Close(int client)
    {
        FromClient(client, id => new ConnectionClosed(id));
        Connect(_clients[client]);
    }

    public void Relay(int client) =>
        FromClient(client, id => new ClientRelay(id, RelayKind.Data, Encoding.UTF8.GetBytes($"\"m{_nextPayload++}\"")));

    /// <summary>The peer-timeout timer of this client's session fires (it runs only while waiting).</summary>
    public void FirePeerTimeout(int client)
    {
        var id = SessionOf(client);
        if (_sessions.TryGetValue(id, out var s) && s.Phase is SessionPhase.Waiting w)
        {
            _trace.Add($"peer timeout of {id} in {w.Code}");
            Apply(id, s.Handle(new PeerTimeoutElapsed(w.Code)));
        }
    }

    // ---- moving messages

    private static string ClientAddress(SessionId id) => $"client:{id}";
    private static string SessionAddress(SessionId id) => $"session:{id}";
    private static string RoomAddress(PairCode code) => $"room:{code}";

    /// <summary>Delivers the head of one non-empty channel, chosen by <paramref name="pick"/>; false when all are empty.</summary>
    public bool DeliverOne(int pick)
    {
        var ready = _channelOrder.Where(c => _channels[c].Count > 0 && !_held.Contains(c)).ToList();
        if (ready.Count == 0) return false;
        Deliver(ready[pick % ready.Count]);
        return true;
    }

    /// <summary>Keeps what this client's session sends to the room back, until <see cref="Release"/>.</summary>
    public void Hold(int client, PairCode room) => _held.Add(ToRoomChannel(client, room));

    public void Release(int client, PairCode room) => _held.Remove(ToRoomChannel(client, room));

    /// <summary>Delivers the oldest message this client's session sent to the room, held or not.</summary>
    public void DeliverToRoom(int client, PairCode room) => Deliver(ToRoomChannel(client, room));

    private (string, string) ToRoomChannel(int client, PairCode room) =>
        (SessionAddress(SessionOf(client)), RoomAddress(room));

    /// <summary>Delivers everything still on its way (except held channels), oldest channel first.</summary>
    public void Settle()
    {
        for (var steps = 0; DeliverOne(0); steps++)
            if (steps > 100_000) throw new InvalidOperationException("the world does not settle");
    }

    private void FromClient(int client, Func<SessionId, IWithSessionId> message)
    {
        var id = SessionOf(client);
        var m = message(id);
        if (m is not ClientRelay) _clients[client].ThinksItIsPaired = false;
        Enqueue(ClientAddress(id), SessionAddress(id), m);
    }

    private void Heard(Client client, IClientMessage message)
    {
        client.Received.Add(message);
        if (message is PeerFoundNotice) client.ThinksItIsPaired = true;
        else if (message is PeerLeftNotice or BusyNotice or RefusedNotice { Refusal: Refusal.PeerTimeout })
            client.ThinksItIsPaired = false;
    }

    private void Connect(Client client)
    {
        var id = new SessionId($"s{client.Index}.{client.Connections++}");
        client.Session = id;
        _owners[id] = client;
        Enqueue(ClientAddress(id), SessionAddress(id), new AttachConnection(id, ActorRefs.Nobody));
    }

    private void Deliver((string From, string To) channel)
    {
        var message = _channels[channel].Dequeue();
        _trace.Add($"{channel.From} -> {channel.To}: {Describe(message)}");
        switch (message)
        {
            case IWithPairCode m: ToRoom(m); break;
            case IWithSessionId m: ToSession(m); break;
            default: throw new InvalidOperationException($"nobody takes {message}");
        }
    }

    private void ToRoom(IWithPairCode message)
    {
        var room = _rooms.GetValueOrDefault(message.Code) ?? RoomState.Empty(message.Code);
        var t = StateInputs.Room(room, message);
        _trace.Add($"    room {message.Code} holds [{string.Join(", ", t.State.Members)}]");
        MaxMembers = Math.Max(MaxMembers, t.State.Members.Length);
        DuplicateMember |= t.State.Members.Distinct().Count() != t.State.Members.Length;
        if (t.State.IsEmpty) _rooms.Remove(message.Code); // passivates
        else _rooms[message.Code] = t.State;
        foreach (var n in t.Notifications)
            Enqueue(RoomAddress(message.Code), SessionAddress(n.Session), n);
    }

    private void ToSession(IWithSessionId message)
    {
        var id = message.Session;
        var s = _sessions.GetValueOrDefault(id) ?? SessionState.New(id);
        var t = StateInputs.Session(s, message);
        Apply(id, t);
    }

    private void Apply(SessionId id, SessionTransition t)
    {
        if (_sessions.GetValueOrDefault(id)?.Phase != t.State.Phase)
            _trace.Add($"    {id} is now {t.State.Phase}");
        _sessions[id] = t.State;
        foreach (var effect in t.Effects)
        {
            switch (effect)
            {
                case ToClient m:
                    if (m.Message is RelayedNotice r)
                        _deliveries.Add(new Delivery(id, Encoding.UTF8.GetString(r.Payload), t.State.Phase));
                    // A closed connection hears nothing more.
                    if (_owners.TryGetValue(id, out var client) && client.Session == id) Heard(client, m.Message);
                    break;
                case ToRoom m:
                    Enqueue(SessionAddress(id), RoomAddress(m.Message.Code), m.Message);
                    break;
                case ToPartner { Message: PartnerRelay relay }:
                    _sent.Add(Encoding.UTF8.GetString(relay.Payload),
                        new SentRelay(relay.From, relay.Session, relay.Code, t.State.Phase));
                    Enqueue(SessionAddress(id), SessionAddress(relay.Session), relay);
                    break;
                case ToPartner m:
                    Enqueue(SessionAddress(id), SessionAddress(m.Message.Session), m.Message);
                    break;
                case Stop:
                    _sessions.Remove(id);
                    break;
            }
        }
    }

    private static string Describe(object message) => message switch
    {
        ClientRelay m => $"ClientRelay {Encoding.UTF8.GetString(m.Payload)}",
        PartnerRelay m => $"PartnerRelay {m.From} -> {m.Session} in {m.Code}: {Encoding.UTF8.GetString(m.Payload)}",
        AttachConnection m => $"AttachConnection {m.Session}",
        _ => message.ToString() ?? "",
    };

    private void Enqueue(string from, string to, object message)
    {
        if (!_channels.TryGetValue((from, to), out var queue))
        {
            _channels[(from, to)] = queue = new Queue<object>();
            _channelOrder.Add((from, to));
        }
        queue.Enqueue(message);
    }

    private sealed class Client(int index)
    {
        public int Index { get; } = index;
        public int Connections { get; set; }
        public SessionId Session { get; set; }
        public bool ThinksItIsPaired { get; set; }
        public List<IClientMessage> Received { get; } = [];
    }
}

/// <summary>A relay as it left its sender: who sent it, to whom, in which room, and the sender's phase then.</summary>
internal sealed record SentRelay(SessionId From, SessionId To, PairCode Code, SessionPhase SenderPhase);

/// <summary>A relayed message reaching a client, with its session's phase right after.</summary>
internal sealed record Delivery(SessionId Receiver, string Payload, SessionPhase ReceiverPhase);
