using SocketPeer.Actors.Sessions;

namespace SocketPeer.Gateway.Protocol;

/// <summary>
/// Words a session's <see cref="RefusedNotice"/> as the <c>server.error</c> clients read. The codes
/// and texts are the protocol (docs/protocol.md): clients branch on the code and show the message.
/// </summary>
public static class ServerErrors
{
    public static ServerErrorNotice For(RefusedNotice refused) => new(CodeOf(refused.Refusal), TextOf(refused));

    private static string TextOf(RefusedNotice refused) => refused.Refusal switch
    {
        Refusal.NotInRoom => "leave: this connection is in no room",
        Refusal.NotPaired => $"{RelayName(refused.Relay)}: no partner yet; send pair and wait for peer.found",
        Refusal.PairingEnded => "the pairing ended while this client was away; send pair again",
        Refusal.PartnerDidNotReturn => "the partner did not come back within the grace period; send pair again",
        Refusal.PeerTimeout => $"no peer joined \"{refused.Code}\" in time; send pair to wait again",
        _ => throw new ArgumentOutOfRangeException(nameof(refused), refused.Refusal, "no wording"),
    };

    /// <summary>A session's refusal to take a socket back (<see cref="ResumeRefusedNotice"/>).</summary>
    public static ServerErrorNotice For(ResumeRefusedNotice refused) => refused.Why switch
    {
        ResumeRefusal.Superseded => new(ServerErrorCodes.ResumeSuperseded,
            "resume: a newer token of this session was issued since; this socket goes on with a new session"),
        ResumeRefusal.Ended => new(ServerErrorCodes.ResumeFailed,
            "resume: the session has ended; this socket goes on with a new session"),
        _ => throw new ArgumentOutOfRangeException(nameof(refused), refused.Why, "no wording"),
    };

    /// <summary>The code alone (also what the metrics count a refusal as; no text needed).</summary>
    public static string CodeOf(Refusal refusal) => refusal switch
    {
        Refusal.NotInRoom => ServerErrorCodes.NotInRoom,
        Refusal.NotPaired => ServerErrorCodes.NotPaired,
        Refusal.PairingEnded or Refusal.PartnerDidNotReturn => ServerErrorCodes.ResumeFailed,
        Refusal.PeerTimeout => ServerErrorCodes.PeerTimeout,
        _ => throw new ArgumentOutOfRangeException(nameof(refusal), refusal, "no code"),
    };

    /// <summary>The <c>type</c> of the relayed message that was refused.</summary>
    private static string RelayName(RelayKind? kind) => kind switch
    {
        RelayKind.Data => "data",
        RelayKind.Signal => "rtc.signal",
        _ => "rtc.connect",
    };
}
