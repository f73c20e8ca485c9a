using System.Runtime.Serialization;
using System.Text;
using Akka.Actor;
using Akka.Serialization;
using SocketPeer.Actors.Crossings;
using SocketPeer.Actors.Diagnostics;
using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Sessions;

namespace SocketPeer.Actors.Serialization;

/// <summary>
/// The compact binary format of every <see cref="ISocketPeerMessage"/>: a short manifest names the
/// type, the body is its fields in order (strings length-prefixed UTF-8, payloads length-prefixed
/// bytes, actor refs as serialized paths). Relay payloads are copied as bytes, never re-parsed.
/// Reading fails closed: whatever arrives from the wire (another node, or anything that reached the
/// remoting port), a length larger than the bytes left, an enum value no release wrote, text that is
/// not UTF-8, or a field the type refuses ends in a <see cref="SerializationException"/>, which the
/// remoting layer logs and drops, and nothing is allocated beyond the buffer's size.
/// </summary>
public sealed partial class SocketPeerSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public const int Id = 4153;

    public override int Identifier => Id;

    /// <remarks>
    /// A message whose fields change gets a new manifest, and the old one is dropped: a node reading
    /// a manifest it does not know fails closed. <c>SS2</c>, <c>NT2</c> and <c>RC2</c> carry resume
    /// claims (with their generation) instead of the signed token text of <c>SS</c>, <c>NT</c> and
    /// <c>RC</c> (docs/failover.md, "Rolling updates"). Numbers appended at the end, 0 meaning "not
    /// known", keep the manifest: an older node reads what it knows and ignores them, and an older
    /// node's message reads as 0 here (<see cref="OptionalInt64"/>: the pairing attempts of <c>PF</c>
    /// and <c>PR</c>), so the relay message can grow without a mixed cluster dropping relays. The
    /// partner's entity ref of <c>PF</c> and <c>PF2</c> is appended the same way, after everything
    /// else (<see cref="AppendedRef"/>): absent, it is null, and the pairing goes as before.
    /// <para>The messages that carry a trace context (<c>JR2</c>, <c>CP2</c>, <c>PF2</c>, <c>RC3</c>,
    /// <c>PRS2</c>) are written under the new manifest only when they carry one, and both forms are
    /// read: with tracing off, what a node writes is what the release before wrote, so tracing is
    /// turned on once a rollout is over (docs/operations.md, "Tracing").</para>
    /// <para><c>PRB</c>, a batch of messages to sessions on this node (<see cref="RelayBatch"/>), is new
    /// with relay batching; a node sends one only to a node whose inbox answered, so a node of the
    /// release before never gets one (docs/architecture.md, "Relay batching across nodes").</para>
    /// </remarks>
    public override string Manifest(object o) => o switch
    {
        // In each type's own arm, so a relayed message's manifest costs the type tests it always did.
        JoinRoom m => m.Trace is null ? "JR" : "JR2",
        LeaveRoom => "LR",
        AttachConnection => "AC",
        ClientPair m => m.Trace is null ? "CP" : "CP2",
        ClientLeave => "CL",
        ClientRelay => "CR",
        ClientRtcStatus => "CS",
        ConnectionClosed => "CC",
        SessionAck => "ACK",
        WaitingForPeer => "WP",
        PeerFound m => m.Trace is null ? "PF" : "PF2",
        RoomBusy => "RB",
        PartnerLeft => "PL",
        PartnerRelay => "PR",
        SessionStarted => "SS2",
        PeerFoundNotice => "NF",
        BusyNotice => "NB",
        PeerLeftNotice => "NL",
        RelayedNotice => "NR",
        RefusedNotice => "NRF",
        ClientOptIn => "CO",
        ClientAck => "CK",
        ResumeConnection m => m.Trace is null ? "RC2" : "RC3",
        PartnerHello => "PH",
        PartnerAck => "PA",
        PartnerResumed m => m.Trace is null ? "PRS" : "PRS2",
        PartnerResumeAnswer => "PRA",
        PartnerGaveUp => "PG",
        PartnerGone => "PGN",
        TokenNotice => "NT2",
        ResumedNotice => "NRS",
        AckNotice => "NA",
        SessionMovedNotice => "NM",
        MemberAway => "MA",
        MemberBack => "MBK",
        SeatTaken => "ST",
        CheckSeat => "CST",
        SeatHeld => "SH",
        SeatVacant => "SV",
        HandOver => "HO",
        SessionLocation => "NSL",
        SessionLeavingNotice => "NSV",
        ResumeRefusedNotice => "NRR",
        RelayBatch => BatchManifest,
        _ => throw new ArgumentException($"{GetType().Name} cannot serialize {o.GetType()}"),
    };

    public override byte[] ToBinary(object obj)
    {
        // The relay's hot path first, without a stream (SocketPeerSerializer.Relay.cs).
        if (obj is PartnerRelay relay) return RelayBinary(relay);
        if (obj is PartnerAck ack) return AckBinary(ack);
        if (obj is RelayBatch batch) return BatchBinary(batch);
        using var stream = new MemoryStream(64);
        using var w = new BinaryWriter(stream);
        switch (obj)
        {
            case JoinRoom m:
                w.Write(m.Code.Value); w.Write(m.Session.Value); w.Write(m.Attempt); w.Write(m.Resumable); WriteOptional(w, m.Partner); WriteOptional(w, m.Replaces);
                WriteTrace(w, m.Trace);
                break;
            case LeaveRoom m: w.Write(m.Code.Value); w.Write(m.Session.Value); break;
            case AttachConnection m: w.Write(m.Session.Value); WriteRef(w, m.Connection); break;
            case ClientPair m: w.Write(m.Session.Value); w.Write(m.Code.Value); WriteTrace(w, m.Trace); break;
            case ClientLeave m: w.Write(m.Session.Value); break;
            case ClientRelay m: w.Write(m.Session.Value); w.Write((byte)m.Kind); WriteBytes(w, m.Payload); w.Write(m.Seq); break;
            case ClientRtcStatus m: w.Write(m.Session.Value); w.Write((byte)m.Path); break;
            case ConnectionClosed m:
                w.Write(m.Session.Value); w.Write(m.Connection is not null);
                if (m.Connection is not null) WriteRef(w, m.Connection);
                break;
            case SessionAck or BusyNotice or PeerLeftNotice or SessionMovedNotice: break;
            case ClientOptIn m: w.Write(m.Session.Value); break;
            case ClientAck m: w.Write(m.Session.Value); w.Write(m.Seq); break;
            case ResumeConnection m:
                w.Write(m.Session.Value); WriteRef(w, m.Connection); WriteClaims(w, m.Claims); w.Write(m.Received);
                w.Write(m.AnswerBy?.UtcTicks ?? 0L);
                WriteTrace(w, m.Trace);
                break;
            case PartnerHello m: w.Write(m.Session.Value); w.Write(m.From.Value); w.Write(m.Code.Value); w.Write(m.AskBack); break;
            case PartnerResumed m:
                w.Write(m.Session.Value); w.Write(m.From.Value); w.Write(m.Code.Value); w.Write(m.Received); WriteOptional(w, m.Replaces);
                WriteTrace(w, m.Trace);
                break;
            case PartnerResumeAnswer m: w.Write(m.Session.Value); w.Write(m.From.Value); w.Write((byte)m.Verdict); w.Write(m.Received); break;
            case PartnerGaveUp m: w.Write(m.Session.Value); w.Write(m.From.Value); break;
            case PartnerGone m: w.Write(m.Session.Value); w.Write(m.From.Value); break;
            case MemberAway m: w.Write(m.Code.Value); w.Write(m.Session.Value); break;
            case MemberBack m: w.Write(m.Code.Value); w.Write(m.Session.Value); break;
            case SeatTaken m: w.Write(m.Session.Value); w.Write(m.Code.Value); break;
            case CheckSeat m: w.Write(m.Session.Value); w.Write(m.Code.Value); break;
            case SeatHeld m: w.Write(m.Code.Value); w.Write(m.Session.Value); break;
            case SeatVacant m: w.Write(m.Code.Value); w.Write(m.Session.Value); break;
            case HandOver m: w.Write(m.Session.Value); w.Write(m.To.Value); break;
            case SessionLocation m: WriteRef(w, m.Session); w.Write(m.Id?.Value ?? ""); break;
            case SessionLeavingNotice m: w.Write(m.Session.Value); break;
            case TokenNotice m: WriteClaims(w, m.Claims); break;
            case ResumeRefusedNotice m: w.Write(m.Session.Value); w.Write((byte)m.Why); break;
            case ResumedNotice m: w.Write(m.Seq); w.Write(ResumeStateName(m.State)); break;
            case AckNotice m: w.Write(m.Seq); break;
            case WaitingForPeer m: w.Write(m.Session.Value); w.Write(m.Code.Value); w.Write(m.Attempt); break;
            case PeerFound m:
                w.Write(m.Session.Value); w.Write(m.Code.Value); w.Write(m.Partner.Value); w.Write(m.Initiator); w.Write(m.Attempt);
                w.Write(m.PartnerResumable); w.Write(m.PartnerAttempt);
                WriteTrace(w, m.Trace);
                WriteAppendedRef(w, m.PartnerRef);
                break;
            case RoomBusy m: w.Write(m.Session.Value); w.Write(m.Code.Value); w.Write(m.Attempt); break;
            case PartnerLeft m: w.Write(m.Session.Value); w.Write(m.Code.Value); w.Write(m.Partner.Value); w.Write(m.Attempt); break;
            case SessionStarted m:
                w.Write(m.Id.Value); w.Write(m.Token is not null);
                if (m.Token is not null) WriteClaims(w, m.Token);
                w.Write(m.ResumeGraceSeconds);
                break;
            case PeerFoundNotice m: w.Write(m.Initiator); break;
            case RelayedNotice m: w.Write((byte)m.Kind); WriteBytes(w, m.Payload); w.Write(m.Seq); break;
            case RefusedNotice m: w.Write((byte)m.Refusal); w.Write((byte)(m.Relay ?? 0)); w.Write(m.Code?.Value ?? ""); break;
            default: throw new ArgumentException($"{GetType().Name} cannot serialize {obj.GetType()}");
        }
        w.Flush();
        return stream.ToArray();
    }

    /// <summary>Strict: invalid UTF-8 is refused, not replaced, so a string never differs from what was sent.</summary>
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public override object FromBinary(byte[] bytes, string manifest)
    {
        try
        {
            switch (manifest)
            {
                case "PR": return ReadRelay(bytes);
                case "PA": return ReadAck(bytes);
                case BatchManifest: return ReadBatch(bytes);
            }
            using var r = new BinaryReader(new MemoryStream(bytes, writable: false), StrictUtf8);
            return Read(r, manifest);
        }
        catch (Exception e) when (e is not SerializationException and not OutOfMemoryException)
        {
            // EndOfStream (truncated), Format (a bad length prefix), Argument (a value a type refuses,
            // invalid UTF-8), ArgumentOutOfRange (a date out of range), and whatever resolving a path throws.
            throw new SerializationException($"{GetType().Name} cannot read a '{manifest}' of {bytes.Length} bytes: {e.Message}", e);
        }
    }

    private object Read(BinaryReader r, string manifest) =>
        manifest switch
        {
            "JR" => new JoinRoom(Code(r), Session(r), r.ReadInt64(), r.ReadBoolean(), OptionalSession(r), OptionalSession(r)),
            "JR2" => new JoinRoom(Code(r), Session(r), r.ReadInt64(), r.ReadBoolean(), OptionalSession(r), OptionalSession(r), Trace(r)),
            "LR" => new LeaveRoom(Code(r), Session(r)),
            "AC" => new AttachConnection(Session(r), Ref(r)),
            "CP" => new ClientPair(Session(r), Code(r)),
            "CP2" => new ClientPair(Session(r), Code(r), Trace(r)),
            "CL" => new ClientLeave(Session(r)),
            "CR" => new ClientRelay(Session(r), Enum<RelayKind>(r), ReadBytes(r), r.ReadInt64()),
            "CS" => new ClientRtcStatus(Session(r), Enum<RtcPath>(r)),
            "CC" => new ConnectionClosed(Session(r), r.ReadBoolean() ? Ref(r) : null),
            "CO" => new ClientOptIn(Session(r)),
            "CK" => new ClientAck(Session(r), r.ReadInt64()),
            "RC2" => new ResumeConnection(Session(r), Ref(r), Claims(r), r.ReadInt64(), AnswerBy(r)),
            "RC3" => new ResumeConnection(Session(r), Ref(r), Claims(r), r.ReadInt64(), AnswerBy(r), Trace(r)),
            "PH" => new PartnerHello(Session(r), Session(r), Code(r), OptionalFlag(r)),
            "PRS" => new PartnerResumed(Session(r), Session(r), Code(r), r.ReadInt64(), OptionalSession(r)),
            "PRS2" => new PartnerResumed(Session(r), Session(r), Code(r), r.ReadInt64(), OptionalSession(r), Trace(r)),
            "PRA" => new PartnerResumeAnswer(Session(r), Session(r), Enum<ResumeVerdict>(r), r.ReadInt64()),
            "PG" => new PartnerGaveUp(Session(r), Session(r)),
            "PGN" => new PartnerGone(Session(r), Session(r)),
            "NT2" => new TokenNotice(Claims(r)),
            "NRR" => new ResumeRefusedNotice(Session(r), Enum<ResumeRefusal>(r)),
            "NRS" => new ResumedNotice(r.ReadInt64(), ResumeStateNamed(Text(r))),
            "NA" => new AckNotice(r.ReadInt64()),
            "NM" => SessionMovedNotice.Instance,
            "MA" => new MemberAway(Code(r), Session(r)),
            "MBK" => new MemberBack(Code(r), Session(r)),
            "ST" => new SeatTaken(Session(r), Code(r)),
            "CST" => new CheckSeat(Session(r), Code(r)),
            "SH" => new SeatHeld(Code(r), Session(r)),
            "SV" => new SeatVacant(Code(r), Session(r)),
            "HO" => new HandOver(Session(r), Session(r)),
            "NSL" => new SessionLocation(Ref(r), OptionalId(r)),
            "NSV" => new SessionLeavingNotice(Session(r)),
            "ACK" => SessionAck.Instance,
            "WP" => new WaitingForPeer(Session(r), Code(r), r.ReadInt64()),
            "PF" => new PeerFound(Session(r), Code(r), Session(r), r.ReadBoolean(), r.ReadInt64(), r.ReadBoolean(), OptionalInt64(r), null,
                AppendedRef(r)),
            "PF2" => new PeerFound(Session(r), Code(r), Session(r), r.ReadBoolean(), r.ReadInt64(), r.ReadBoolean(), r.ReadInt64(), Trace(r),
                AppendedRef(r)),
            "RB" => new RoomBusy(Session(r), Code(r), r.ReadInt64()),
            "PL" => new PartnerLeft(Session(r), Code(r), Session(r), r.ReadInt64()),
            "SS2" => new SessionStarted(Session(r), r.ReadBoolean() ? Claims(r) : null, r.ReadInt32()),
            "NF" => new PeerFoundNotice(r.ReadBoolean()),
            "NB" => BusyNotice.Instance,
            "NL" => PeerLeftNotice.Instance,
            "NR" => new RelayedNotice(Enum<RelayKind>(r), ReadBytes(r), r.ReadInt64()),
            "NRF" => Refused(r),
            _ => throw new SerializationException($"{GetType().Name} does not know manifest '{manifest}'"),
        };

    private static PairCode Code(BinaryReader r) => new(Text(r));

    private static DateTimeOffset? AnswerBy(BinaryReader r) =>
        r.ReadInt64() is > 0 and var ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>
    /// A trace context, last in the messages of the manifests that carry one; written only when the
    /// message has one (see <see cref="Manifest"/>), so a message of the old manifest gets nothing here.
    /// </summary>
    private static void WriteTrace(BinaryWriter w, TraceContext? trace)
    {
        if (trace is null) return;
        w.Write(trace.TraceParent); w.Write(trace.TraceState ?? "");
    }

    /// <summary>A trace context as W3C text: one that does not parse is refused like any other bad field.</summary>
    private static TraceContext Trace(BinaryReader r)
    {
        var trace = new TraceContext(Text(r), Text(r) is { Length: > 0 } state ? state : null);
        return trace.TryParse(out _) ? trace : throw new SerializationException("a trace context that is not W3C trace context text");
    }

    /// <summary>
    /// <see cref="ResumedNotice.State"/> is written as a name, the form the previous release wrote, so
    /// nodes of both releases read each other's during a rolling restart (when resumes cross nodes most).
    /// </summary>
    private static string ResumeStateName(ResumeState state) => state switch
    {
        ResumeState.Idle => "idle",
        ResumeState.Waiting => "waiting",
        ResumeState.Paired => "paired",
        _ => throw new ArgumentException($"{state} is no {nameof(ResumeState)}", nameof(state)),
    };

    private static ResumeState ResumeStateNamed(string name) => name switch
    {
        "idle" => ResumeState.Idle,
        "waiting" => ResumeState.Waiting,
        "paired" => ResumeState.Paired,
        _ => throw new SerializationException($"'{name}' is no {nameof(ResumeState)}"),
    };

    /// <summary>A refusal with what its wording needs: which relay, for not-paired; the code, for a peer timeout.</summary>
    private static RefusedNotice Refused(BinaryReader r)
    {
        var refusal = Enum<Refusal>(r);
        var relay = OptionalEnum<RelayKind>(r);
        var code = Text(r) is { Length: > 0 } value ? new PairCode(value) : (PairCode?)null;
        if ((refusal == Refusal.NotPaired && relay is null) || (refusal == Refusal.PeerTimeout && code is null))
            throw new SerializationException($"a {refusal} refusal without what its wording needs");
        return new RefusedNotice(refusal, relay, code);
    }

    /// <summary>A flag added at the end of a message: false when a node of the previous release wrote it.</summary>
    /// <summary>A number appended to a message after its first release: absent (0) from an older node.</summary>
    private static long OptionalInt64(BinaryReader r) => r.BaseStream.Position < r.BaseStream.Length ? r.ReadInt64() : 0;

    private static bool OptionalFlag(BinaryReader r) => r.BaseStream.Position < r.BaseStream.Length && r.ReadBoolean();

    /// <summary>A field added at the end of a message: absent when a node of the previous release wrote it.</summary>
    private static SessionId? OptionalId(BinaryReader r) =>
        r.BaseStream.Position < r.BaseStream.Length && Text(r) is { Length: > 0 } id ? new SessionId(id) : null;

    private static void WriteRef(BinaryWriter w, IActorRef actor) =>
        w.Write(Akka.Serialization.Serialization.SerializedActorPath(actor));

    private IActorRef Ref(BinaryReader r) => system.Provider.ResolveActorRef(Text(r));

    /// <summary>
    /// An actor ref appended to a message after its first release (<see cref="PeerFound.PartnerRef"/>),
    /// last in it: written only when there is one, so without it the bytes are what the release before
    /// wrote, and an older node, which reads what it knows, ignores it.
    /// </summary>
    private static void WriteAppendedRef(BinaryWriter w, IActorRef? actor)
    {
        if (actor is not null) WriteRef(w, actor);
    }

    /// <summary>
    /// Absent (null) from an older node, or from a sender that had none; text that is no actor's path
    /// (no system, or no actor under its root) is refused, not resolved to dead letters.
    /// </summary>
    private IActorRef? AppendedRef(BinaryReader r)
    {
        if (r.BaseStream.Position >= r.BaseStream.Length || Text(r) is not { Length: > 0 } path) return null;
        return ActorPath.TryParse(path, out var parsed) && parsed.Address.System is { Length: > 0 } && parsed.Elements.Count > 0
            ? system.Provider.ResolveActorRef(path)
            : throw new SerializationException("an appended actor ref that is no actor's path");
    }

    private static void WriteClaims(BinaryWriter w, ResumeClaims c)
    {
        w.Write(c.Session.Value); w.Write((byte)c.State); w.Write(c.Code?.Value ?? ""); w.Write(c.Partner?.Value ?? "");
        w.Write(c.PartnerResumable); w.Write(c.Generation);
    }

    private static ResumeClaims Claims(BinaryReader r)
    {
        var session = Session(r);
        var state = Enum<ResumeState>(r);
        var code = Text(r);
        var partner = Text(r);
        var claims = new ResumeClaims(session, state, code.Length == 0 ? null : new PairCode(code),
            partner.Length == 0 ? null : new SessionId(partner), r.ReadBoolean(), r.ReadInt64());
        if (claims.Generation < 0 || (state != ResumeState.Idle && claims.Code is null) || (state == ResumeState.Paired && claims.Partner is null))
            throw new SerializationException($"claims of a {state} session without what that state needs, or of generation {claims.Generation}");
        return claims;
    }

    private static SessionId Session(BinaryReader r) => new(Text(r));

    /// <summary>An absent session id is written as the empty string (no real id is empty).</summary>
    private static void WriteOptional(BinaryWriter w, SessionId? session) => w.Write(session?.Value ?? "");

    private static SessionId? OptionalSession(BinaryReader r) => Text(r) is { Length: > 0 } id ? new SessionId(id) : null;

    private static void WriteBytes(BinaryWriter w, byte[] bytes)
    {
        w.Write7BitEncodedInt(bytes.Length);
        w.Write(bytes);
    }

    private static byte[] ReadBytes(BinaryReader r) => r.ReadBytes(Length(r));

    /// <summary>What <see cref="BinaryWriter.Write(string)"/> wrote: a length prefix, then UTF-8.</summary>
    private static string Text(BinaryReader r) => StrictUtf8.GetString(r.ReadBytes(Length(r)));

    /// <summary>A length prefix, checked against the bytes left before anything is allocated for it.</summary>
    private static int Length(BinaryReader r)
    {
        var length = r.Read7BitEncodedInt();
        var left = r.BaseStream.Length - r.BaseStream.Position;
        if (length < 0 || length > left)
            throw new SerializationException($"a length of {length} with {left} bytes left");
        return length;
    }

    /// <summary>An enum written as a byte: only the values this release knows.</summary>
    private static T Enum<T>(BinaryReader r) where T : struct, Enum => Known<T>(r.ReadByte());

    /// <summary>An enum field that may be absent, written as 0 (the enums written this way start at 1).</summary>
    private static T? OptionalEnum<T>(BinaryReader r) where T : struct, Enum =>
        r.ReadByte() is var value and not 0 ? Known<T>(value) : null;

    private static T Known<T>(byte value) where T : struct, Enum
    {
        var parsed = (T)System.Enum.ToObject(typeof(T), value);
        return System.Enum.IsDefined(parsed) ? parsed : throw new SerializationException($"{value} is no {typeof(T).Name}");
    }
}
