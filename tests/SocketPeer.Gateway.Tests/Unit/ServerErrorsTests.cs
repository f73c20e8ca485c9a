using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Sessions;
using SocketPeer.Gateway.Protocol;

namespace SocketPeer.Gateway.Tests.Unit;

/// <summary>Clients branch on the codes and show the messages: a session's refusals keep their wording.</summary>
public sealed class ServerErrorsTests
{
    [Fact]
    public void Every_refusal_has_a_wording()
    {
        foreach (var refusal in Enum.GetValues<Refusal>())
        {
            var notice = ServerErrors.For(new RefusedNotice(refusal, RelayKind.Data, new PairCode("c")));
            Assert.False(string.IsNullOrEmpty(notice.Code), $"{refusal} has no code");
            Assert.False(string.IsNullOrEmpty(notice.Message), $"{refusal} has no message");
        }
    }

    public static TheoryData<RefusedNotice, string, string> Wordings() => new()
    {
        { new RefusedNotice(Refusal.NotInRoom), "not-in-room", "leave: this connection is in no room" },
        { new RefusedNotice(Refusal.NotPaired, RelayKind.Data), "not-paired", "data: no partner yet; send pair and wait for peer.found" },
        { new RefusedNotice(Refusal.NotPaired, RelayKind.Signal), "not-paired", "rtc.signal: no partner yet; send pair and wait for peer.found" },
        { new RefusedNotice(Refusal.NotPaired, RelayKind.Connect), "not-paired", "rtc.connect: no partner yet; send pair and wait for peer.found" },
        { new RefusedNotice(Refusal.PairingEnded), "resume-failed", "the pairing ended while this client was away; send pair again" },
        { new RefusedNotice(Refusal.PartnerDidNotReturn), "resume-failed", "the partner did not come back within the grace period; send pair again" },
        { new RefusedNotice(Refusal.PeerTimeout, Code: new PairCode("room-7")), "peer-timeout", "no peer joined \"room-7\" in time; send pair to wait again" },
    };

    [Theory]
    [MemberData(nameof(Wordings))]
    public void Refusals_keep_their_code_and_text(RefusedNotice refused, string code, string message) =>
        Assert.Equal(new ServerErrorNotice(code, message), ServerErrors.For(refused));

    [Theory]
    [InlineData(ResumeRefusal.Superseded, "resume-superseded", "resume: a newer token of this session was issued since; this socket goes on with a new session")]
    [InlineData(ResumeRefusal.Ended, "resume-failed", "resume: the session has ended; this socket goes on with a new session")]
    public void Resume_refusals_keep_their_code_and_text(ResumeRefusal why, string code, string message) =>
        Assert.Equal(new ServerErrorNotice(code, message), ServerErrors.For(new ResumeRefusedNotice(new SessionId("s"), why)));

    [Fact]
    public void Every_resume_refusal_has_a_wording()
    {
        foreach (var why in Enum.GetValues<ResumeRefusal>())
            Assert.False(string.IsNullOrEmpty(ServerErrors.For(new ResumeRefusedNotice(new SessionId("s"), why)).Code), $"{why} has no code");
    }
}
