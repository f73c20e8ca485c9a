using FsCheck.Fluent;
using SocketPeer.Actors.Sessions;
namespace SocketPeer.Actors.Tests.Properties;
public class TmpStats
{
    [Fact]
    public void Stats()
    {
        var runs = WorldSteps.Runs.Generator.Sample(500, 60);
        int withDelivery = 0, totalDeliveries = 0, paired = 0, sent = 0, notPaired = 0, found = 0, steps = 0;
        foreach (var r in runs) { steps += r.Length; var w = WorldSteps.Play(r); if (w.Deliveries.Count > 0) withDelivery++; totalDeliveries += w.Deliveries.Count; if (w.MaxMembers == 2) paired++; sent += w.Sent.Count;
          for (int i = 0; i < 4; i++) { notPaired += w.Received(i).Count(m => m is ServerErrorNotice { Code: "not-paired" }); found += w.Received(i).Count(m => m is PeerFoundNotice); } }
        Assert.Fail($"runs {runs.Length} steps {steps} withDelivery {withDelivery} deliveries {totalDeliveries} paired {paired} sent {sent} notPaired {notPaired} found {found}");
    }
}
