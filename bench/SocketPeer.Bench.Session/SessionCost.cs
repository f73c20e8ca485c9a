using System.Diagnostics;
using Akka.Actor;
using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Sessions;
using SocketPeer.Bench.Micro;
using static SocketPeer.Actors.Sessions.SessionEffect;

namespace SocketPeer.Bench.Session;

/// <summary>
/// Two paired <see cref="SessionState"/>s, reached through their transitions as the actors reach
/// them, relaying to each other on one thread: a message is the sender's <see cref="ClientRelay"/>
/// and the receiver's <see cref="PartnerRelay"/> (what the sender's transition asked to send), and,
/// in mode <c>acked</c> (both clients opted into resume), the receiver's <see cref="ClientAck"/> and
/// the sender's <see cref="PartnerAck"/>. Mode <c>plain</c> is the closed-loop relay's (no resume).
/// What the gateway would allocate (the client's relay and ack) is made before the window opens;
/// everything counted is the machines' own.
/// </summary>
public sealed class SessionCost
{
    public const string Plain = "plain";
    public const string Acked = "acked";

    private static readonly PairCode Code = new("bench-code");
    private static readonly SessionId A = new("bench-a");
    private static readonly SessionId B = new("bench-b");

    /// <summary>Relays one way and reads this thread's allocation and the process's CPU per message.</summary>
    public static MessageCost Measure(string mode, int repeat, int messages)
    {
        var acked = mode switch
        {
            Acked => true,
            Plain => false,
            _ => throw new ArgumentException($"unknown mode {mode}", nameof(mode)),
        };
        var (a, b) = Pair(acked);
        var relay = new ClientRelay(A, RelayKind.Data, "{\"n\":1}"u8.ToArray());
        var acks = acked ? Enumerable.Range(1, messages).Select(i => new ClientAck(B, i)).ToArray() : [];
        var delivered = 0L;

        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        for (var i = 0; i < messages; i++)
        {
            var sent = a.Handle(relay);
            a = sent.State;
            var received = b.Handle(ToPartner(sent));
            b = received.State;
            delivered += received.Effects.Count;
            if (!acked) continue;
            var ack = b.Handle(acks[i]);
            b = ack.State;
            a = a.Handle(ToPartner(ack)).State;
        }
        var spent = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        var bytes = GC.GetAllocatedBytesForCurrentThread() - allocated;
        if (delivered != messages) throw new InvalidOperationException($"{delivered} of {messages} relays reached the client");
        return new MessageCost(mode, repeat, messages, spent.TotalMicroseconds / messages, (double)bytes / messages);
    }

    /// <summary>Two sessions paired with each other (each watching the other), as a room and their hellos leave them.</summary>
    private static (SessionState A, SessionState B) Pair(bool resumable) =>
        (Paired(A, B, initiator: true, resumable), Paired(B, A, initiator: false, resumable));

    private static SessionState Paired(SessionId me, SessionId partner, bool initiator, bool resumable)
    {
        var s = SessionState.New(me).Handle(new AttachConnection(me, ActorRefs.Nobody)).State;
        if (resumable) s = s.Handle(new ClientOptIn(me)).State;
        s = s.Handle(new ClientPair(me, Code)).State;
        s = s.Handle(new PeerFound(me, Code, partner, initiator, Attempt: 1, PartnerResumable: resumable, PartnerAttempt: 1)).State;
        s = s.Handle(new PartnerWatched(partner)).State;
        if (s.Phase is not SessionPhase.Paired) throw new InvalidOperationException($"{me} is not paired: {s.Phase}");
        return s;
    }

    /// <summary>The one message a relay's or an ack's transition sends the partner.</summary>
    private static IWithSessionId ToPartner(SessionTransition t)
    {
        for (var i = 0; i < t.Effects.Count; i++)
            if (t.Effects[i] is ToPartner m) return m.Message;
        throw new InvalidOperationException("the transition sent the partner nothing");
    }
}
