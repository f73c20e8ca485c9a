using Akka.Actor;
using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Sessions;

namespace SocketPeer.Actors.Tests.Sessions;

/// <summary>Sessions in a given phase, reached the way a real one gets there: through its transitions.</summary>
internal static class Given
{
    public static readonly SessionId Me = new("me");
    public static readonly SessionId Partner = new("partner");
    public static readonly SessionId Stranger = new("stranger");
    public static readonly PairCode Code = new("code-1");
    public static readonly PairCode OtherCode = new("code-2");

    /// <summary>A session's first JoinRoom is attempt 1; the room's answers to it echo that.</summary>
    public const long FirstJoin = 1;

    public static SessionState Unattached() => SessionState.New(Me);

    public static SessionState Idle() => Unattached().Handle(new AttachConnection(Me, ActorRefs.Nobody)).State;

    public static SessionState Joining(PairCode? code = null) => Idle().Handle(new ClientPair(Me, code ?? Code)).State;

    public static SessionState Waiting(PairCode? code = null) =>
        Joining(code).Handle(new WaitingForPeer(Me, code ?? Code, FirstJoin)).State;

    public static SessionState Paired(PairCode? code = null) =>
        Joining(code).Handle(new PeerFound(Me, code ?? Code, Partner, Initiator: true, FirstJoin)).State;

    /// <summary>The session in the named phase, for theories over phases.</summary>
    public static SessionState InPhase(string phase) => phase switch
    {
        nameof(Idle) => Idle(),
        nameof(Joining) => Joining(),
        nameof(Waiting) => Waiting(),
        nameof(Paired) => Paired(),
        _ => throw new ArgumentOutOfRangeException(nameof(phase), phase, null),
    };

    public static PartnerRelay RelayFrom(SessionId from, string json, PairCode? code = null) =>
        new(Me, from, code ?? Code, RelayKind.Data, Utf8(json));

    public static byte[] Utf8(string text) => System.Text.Encoding.UTF8.GetBytes(text);
}
