using Akka.Actor;
using SocketPeer.Actors.Sessions;
using static SocketPeer.Actors.Tests.Sessions.Given;

namespace SocketPeer.Actors.Tests.Sessions;

/// <summary>
/// What the resume tests share on top of <see cref="Given"/>: a resumable pairing, the client's and
/// the partner's numbered relays, and the claims a resume token carries (docs/architecture.md section 5).
/// </summary>
internal static class ResumeScenario
{
    /// <summary>The generation of the tokens these tests present: the latest of their sessions (none issues this many).</summary>
    public const long Latest = 1000;

    /// <summary>The session a successor takes over, on a node that is unreachable.</summary>
    public static readonly SessionId Predecessor = new("predecessor-on-a-crashed-node");

    /// <summary>Opted in, paired with a partner that resumes too.</summary>
    public static SessionState ResumablePaired(int bufferLimit = 256)
    {
        var idle = SessionState.New(Me, bufferLimit).Handle(new AttachConnection(Me, ActorRefs.Nobody)).State;
        var optedIn = idle.Handle(new ClientOptIn(Me)).State;
        var joining = optedIn.Handle(new ClientPair(Me, Code)).State;
        return joining.Handle(new PeerFound(Me, Code, Partner, Initiator: true, FirstJoin, PartnerResumable: true)).State;
    }

    /// <summary>Our client relays <paramref name="json"/>, numbered <paramref name="seq"/> (0: let the session number it).</summary>
    public static SessionTransition Send(SessionState s, string json, long seq = 0) =>
        s.Handle(new ClientRelay(Me, RelayKind.Data, Utf8(json), seq));

    /// <summary>The partner's relay numbered <paramref name="seq"/>.</summary>
    public static PartnerRelay Relay(long seq) => new(Me, Partner, Code, RelayKind.Data, Utf8($"{seq}"), seq);

    /// <summary>A token's claims for our session, paired with (or waiting for) a partner that resumes.</summary>
    public static ResumeClaims Claims(ResumeState state) => new(Me, state, Code, Partner, true, Latest);

    /// <summary>A token's claims for <paramref name="session"/>, as a successor presents its predecessor's.</summary>
    public static ResumeClaims ClaimsOf(SessionId session, ResumeState state) => new(session, state, Code, Partner, true, Latest);
}
