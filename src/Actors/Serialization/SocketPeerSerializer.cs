using Akka.Actor;
using System.Runtime.Serialization;
using Akka.Serialization;
using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Sessions;

namespace SocketPeer.Actors.Serialization;

/// <summary>
/// The compact binary format of every <see cref="ISocketPeerMessage"/>: a short manifest names the
/// type, the body is its fields in order (strings length-prefixed UTF-8, payloads length-prefixed
/// bytes, actor refs as serialized paths). Relay payloads are copied as bytes, never re-parsed.
/// </summary>
public sealed class SocketPeerSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public const int Id = 4153;

    public override int Identifier => Id;

    public override string Manifest(object o) => o switch
    {
        JoinRoom => "JR",
        LeaveRoom => "LR",
        AttachConnection => "AC",
        ClientPair => "CP",
        ClientLeave => "CL",
        ClientRelay => "CR",
        ClientRtcStatus => "CS",
        ConnectionClosed => "CC",
        SessionAck => "ACK",
        WaitingForPeer => "WP",
        PeerFound => "PF",
        RoomBusy => "RB",
        PartnerLeft => "PL",
        PartnerRelay => "PR",
        SessionStarted => "SS",
        PeerFoundNotice => "NF",
        BusyNotice => "NB",
        PeerLeftNotice => "NL",
        RelayedNotice => "NR",
        ServerErrorNotice => "NE",
        _ => throw new ArgumentException($"{GetType().Name} cannot serialize {o.GetType()}"),
    };

    public override byte[] ToBinary(object obj)
    {
        using var stream = new MemoryStream(64);
        using var w = new BinaryWriter(stream);
        switch (obj)
        {
            case JoinRoom m: w.Write(m.Code.Value); w.Write(m.Session.Value); w.Write(m.Attempt); break;
            case LeaveRoom m: w.Write(m.Code.Value); w.Write(m.Session.Value); break;
            case AttachConnection m: w.Write(m.Session.Value); w.Write(Akka.Serialization.Serialization.SerializedActorPath(m.Connection)); break;
            case ClientPair m: w.Write(m.Session.Value); w.Write(m.Code.Value); break;
            case ClientLeave m: w.Write(m.Session.Value); break;
            case ClientRelay m: w.Write(m.Session.Value); w.Write((byte)m.Kind); WriteBytes(w, m.Payload); break;
            case ClientRtcStatus m: w.Write(m.Session.Value); w.Write((byte)m.Path); break;
            case ConnectionClosed m: w.Write(m.Session.Value); break;
            case SessionAck or BusyNotice or PeerLeftNotice: break;
            case WaitingForPeer m: w.Write(m.Session.Value); w.Write(m.Code.Value); w.Write(m.Attempt); break;
            case PeerFound m:
                w.Write(m.Session.Value); w.Write(m.Code.Value); w.Write(m.Partner.Value); w.Write(m.Initiator); w.Write(m.Attempt);
                break;
            case RoomBusy m: w.Write(m.Session.Value); w.Write(m.Code.Value); w.Write(m.Attempt); break;
            case PartnerLeft m: w.Write(m.Session.Value); w.Write(m.Code.Value); w.Write(m.Partner.Value); w.Write(m.Attempt); break;
            case PartnerRelay m:
                w.Write(m.Session.Value); w.Write(m.From.Value); w.Write(m.Code.Value); w.Write((byte)m.Kind);
                WriteBytes(w, m.Payload);
                break;
            case SessionStarted m: w.Write(m.Id.Value); break;
            case PeerFoundNotice m: w.Write(m.Initiator); break;
            case RelayedNotice m: w.Write((byte)m.Kind); WriteBytes(w, m.Payload); break;
            case ServerErrorNotice m: w.Write(m.Code); w.Write(m.Message); break;
            default: throw new ArgumentException($"{GetType().Name} cannot serialize {obj.GetType()}");
        }
        w.Flush();
        return stream.ToArray();
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        using var r = new BinaryReader(new MemoryStream(bytes, writable: false));
        return manifest switch
        {
            "JR" => new JoinRoom(Code(r), Session(r), r.ReadInt64()),
            "LR" => new LeaveRoom(Code(r), Session(r)),
            "AC" => new AttachConnection(Session(r), system.Provider.ResolveActorRef(r.ReadString())),
            "CP" => new ClientPair(Session(r), Code(r)),
            "CL" => new ClientLeave(Session(r)),
            "CR" => new ClientRelay(Session(r), (RelayKind)r.ReadByte(), ReadBytes(r)),
            "CS" => new ClientRtcStatus(Session(r), (RtcPath)r.ReadByte()),
            "CC" => new ConnectionClosed(Session(r)),
            "ACK" => SessionAck.Instance,
            "WP" => new WaitingForPeer(Session(r), Code(r), r.ReadInt64()),
            "PF" => new PeerFound(Session(r), Code(r), Session(r), r.ReadBoolean(), r.ReadInt64()),
            "RB" => new RoomBusy(Session(r), Code(r), r.ReadInt64()),
            "PL" => new PartnerLeft(Session(r), Code(r), Session(r), r.ReadInt64()),
            "PR" => new PartnerRelay(Session(r), Session(r), Code(r), (RelayKind)r.ReadByte(), ReadBytes(r)),
            "SS" => new SessionStarted(Session(r)),
            "NF" => new PeerFoundNotice(r.ReadBoolean()),
            "NB" => BusyNotice.Instance,
            "NL" => PeerLeftNotice.Instance,
            "NR" => new RelayedNotice((RelayKind)r.ReadByte(), ReadBytes(r)),
            "NE" => new ServerErrorNotice(r.ReadString(), r.ReadString()),
            _ => throw new SerializationException($"{GetType().Name} does not know manifest '{manifest}'"),
        };
    }

    private static PairCode Code(BinaryReader r) => new(r.ReadString());

    private static SessionId Session(BinaryReader r) => new(r.ReadString());

    private static void WriteBytes(BinaryWriter w, byte[] bytes)
    {
        w.Write7BitEncodedInt(bytes.Length);
        w.Write(bytes);
    }

    private static byte[] ReadBytes(BinaryReader r) => r.ReadBytes(r.Read7BitEncodedInt());
}
