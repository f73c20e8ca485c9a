using FsCheck.Fluent;
namespace SocketPeer.Actors.Tests.Properties;
public class TmpStats
{
    [Fact]
    public void Stats()
    {
        var runs = WorldSteps.Runs.Generator.Sample(500, 60);
        int withDelivery = 0, totalDeliveries = 0, paired = 0;
        foreach (var r in runs) { var w = WorldSteps.Play(r); if (w.Deliveries.Count > 0) withDelivery++; totalDeliveries += w.Deliveries.Count; if (w.MaxMembers == 2) paired++; }
        Assert.Fail($"runs {runs.Length} withDelivery {withDelivery} deliveries {totalDeliveries} paired {paired}");
    }
}
