using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;
using Akka.Remote;
using AkkaCluster = Akka.Cluster.Cluster;
using MemberStatus = Akka.Cluster.MemberStatus;
using UniqueAddress = Akka.Cluster.UniqueAddress;

namespace SocketPeer.Actors.Cluster;

/// <summary>
/// Downs a member whose process is gone, without waiting for the split brain resolver. When the
/// remoting connection to a member drops, this node tries a plain TCP connect to the member's
/// remoting port: a refusal means the host answers but nothing listens there, so the process has
/// ended (a crash, an OOM kill, kill -9), and it can never come back under that incarnation. Waiting
/// for the failure detector and <c>StableAfter</c> would keep its shards, and so its rooms, out of
/// reach for ~7 s. This node quarantines the incarnation and downs it: the cluster counts a
/// quarantined member as terminated, so the leader removes it at once instead of after the failure
/// detector's ~3 s, and its shards start on a survivor about 1.5 s after the crash (a gossip round,
/// a leader action, <c>DownRemovalMargin</c>).
/// What it never does: down a member that is merely slow or frozen (its kernel still accepts the
/// connection), or silent (the connect times out: the resolver decides, as before); act from a
/// minority (only with a majority of the members reachable and connected, counting this node, as
/// keep-majority would); act on a member that is already leaving.
/// </summary>
public sealed class CrashedProcessDowning : UntypedActor, IWithTimers
{
    /// <summary>A connect that takes longer than this proves nothing (a silent host): leave it to the resolver.</summary>
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A process on its way out may still accept for a moment after its connections dropped (its
    /// listener is closed last): probed again this often, while the connection stays lost, up to
    /// <see cref="Probes"/> times. A live member accepts every time and costs a few connects.
    /// </summary>
    private static readonly TimeSpan ProbeAgainAfter = TimeSpan.FromMilliseconds(250);

    private const int Probes = 4;

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly AkkaCluster _cluster = AkkaCluster.Get(Context.System);

    /// <summary>Incarnations probed (or being probed) and not cleared: a node whose probe was answered may drop again.</summary>
    private readonly HashSet<UniqueAddress> _probing = [];

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props() => Akka.Actor.Props.Create(() => new CrashedProcessDowning());

    protected override void PreStart() => Context.System.EventStream.Subscribe(Self, typeof(DisassociatedEvent));

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            // Every association to the dead node drops at once: one probe is enough.
            case DisassociatedEvent e when Downable(e.RemoteAddress) is { } suspect && _probing.Add(suspect.UniqueAddress):
                Probe(suspect.UniqueAddress, attempt: 1).PipeTo(Self);
                break;
            case Probed { Refused: false } p when ProbesAgain(p.Attempt, LostConnections.Get(Context.System).IsLost(p.Node.Address)):
                Timers.StartSingleTimer(p.Node, new ProbeAgain(p.Node, p.Attempt + 1), ProbeAgainAfter);
                break;
            case ProbeAgain again:
                Probe(again.Node, again.Attempt).PipeTo(Self);
                break;
            case Probed { Refused: false } p:
                _probing.Remove(p.Node);
                break;
            case Probed p:
                if (Downable(p.Node.Address) is { } member && member.UniqueAddress == p.Node && HasMajorityWithout(member))
                {
                    _log.Warning("Cluster member {0} refuses connections after its connection dropped: its process is gone; quarantining and downing it", member.Address);
                    // Quarantine first: the cluster marks a quarantined incarnation terminated, so it no
                    // longer blocks convergence and is removed at the next leader action. A member merely
                    // downed stays "reachable" until the failure detector gives up on it (~3 s), and the
                    // leader cannot remove it before then. The process is gone, so this incarnation never
                    // needs to talk to us again; a restarted process has a new uid and joins as usual.
                    ((IRemoteActorRefProvider)((ExtendedActorSystem)Context.System).Provider).Quarantine(member.Address, member.UniqueAddress.Uid);
                    _cluster.Down(member.Address);
                }
                else
                {
                    _probing.Remove(p.Node); // a minority now; a later drop may find a majority again
                }
                break;
        }
    }

    /// <summary>
    /// Whether a probe that was answered is followed by another: up to <see cref="Probes"/>, while the
    /// connection stays lost. The first probe is always followed by a second, whatever
    /// <see cref="LostConnections"/> says yet: its listener hears the same disassociation as this actor,
    /// from the same event stream, and on a loaded node may not have recorded it by the time the first
    /// connect returns, which would end the probing of a process whose listener closes last.
    /// </summary>
    internal static bool ProbesAgain(int attempt, bool connectionLost) =>
        attempt < Probes && (attempt == 1 || connectionLost);

    /// <summary>An up member other than this node, not already on its way out.</summary>
    private Akka.Cluster.Member? Downable(Address node)
    {
        if (node == _cluster.SelfAddress || node.Host is null || node.Port is null) return null;
        foreach (var member in _cluster.State.Members)
            if (member.Address == node)
                return member.Status is MemberStatus.Up or MemberStatus.WeaklyUp ? member : null;
        return null;
    }

    /// <summary>Keep-majority's rule, without its wait: this side holds more than half of the up members.</summary>
    private bool HasMajorityWithout(Akka.Cluster.Member dead)
    {
        var state = _cluster.State;
        var lost = LostConnections.Get(Context.System);
        var up = state.Members.Where(m => m.Status is MemberStatus.Up or MemberStatus.WeaklyUp).ToList();
        var healthy = up.Count(m => m != dead && !state.Unreachable.Contains(m)
            && (m.Address == _cluster.SelfAddress || !lost.IsLost(m.Address)));
        return IsMajority(healthy, up.Count);
    }

    /// <summary>More than half: with two of four, the other two may be the healthy side.</summary>
    internal static bool IsMajority(int healthy, int members) => healthy * 2 > members;

    private static async Task<Probed> Probe(UniqueAddress node, int attempt) =>
        new(node, attempt, await RefusesConnections(node.Address.Host!, node.Address.Port!.Value, ProbeTimeout));

    /// <summary>
    /// Whether a TCP connect to the port is refused: the host answers, and nothing listens there. A
    /// connect that succeeds (alive, or frozen: the kernel still accepts), times out (a silent host)
    /// or fails otherwise (no route, name lookup) proves nothing.
    /// </summary>
    internal static async Task<bool> RefusesConnections(string host, int port, TimeSpan timeout)
    {
        using var client = new TcpClient();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await client.ConnectAsync(host, port, cancel.Token);
            return false;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return true;
        }
        catch (Exception)
        {
            return false;
        }
    }

    private sealed record Probed(UniqueAddress Node, int Attempt, bool Refused);

    private sealed record ProbeAgain(UniqueAddress Node, int Attempt);
}
