using Akka.Actor;
using Akka.Cluster;
using static Akka.Cluster.ClusterEvent;

namespace SocketPeer.Testing;

/// <summary>One node's view of the cluster, built from the membership events it publishes.</summary>
public sealed record MembershipView(IReadOnlyDictionary<Address, MemberStatus> Members, IReadOnlySet<Address> Unreachable);

/// <summary>
/// Waits until a node's view of the cluster satisfies a condition, woken by that node's membership and
/// reachability events (no polling). The view is kept from the events themselves, not read from
/// <c>Cluster.State</c>, which another subscriber updates and may not have caught up yet.
/// </summary>
public static class MembershipWait
{
    public static async Task UntilAsync(ActorSystem system, Func<MembershipView, bool> condition, TimeSpan within, string what)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var watcher = system.ActorOf(Props.Create(() => new Watcher(condition, done)));
        try
        {
            await done.Task.WaitAsync(within);
        }
        catch (TimeoutException)
        {
            throw new Xunit.Sdk.XunitException($"not within {within}: {what}");
        }
        finally
        {
            watcher.Tell(PoisonPill.Instance);
        }
    }

    private sealed class Watcher : ReceiveActor
    {
        private readonly Dictionary<Address, MemberStatus> _members = [];
        private readonly HashSet<Address> _unreachable = [];

        public Watcher(Func<MembershipView, bool> condition, TaskCompletionSource done)
        {
            Receive<CurrentClusterState>(state =>
            {
                foreach (var member in state.Members) _members[member.Address] = member.Status;
                foreach (var member in state.Unreachable) _unreachable.Add(member.Address);
                Check(condition, done);
            });
            Receive<MemberRemoved>(removed =>
            {
                _members.Remove(removed.Member.Address);
                _unreachable.Remove(removed.Member.Address);
                Check(condition, done);
            });
            Receive<MemberStatusChange>(change =>
            {
                _members[change.Member.Address] = change.Member.Status;
                Check(condition, done);
            });
            Receive<UnreachableMember>(m =>
            {
                _unreachable.Add(m.Member.Address);
                Check(condition, done);
            });
            Receive<ReachableMember>(m =>
            {
                _unreachable.Remove(m.Member.Address);
                Check(condition, done);
            });
        }

        private void Check(Func<MembershipView, bool> condition, TaskCompletionSource done)
        {
            if (condition(new MembershipView(_members, _unreachable))) done.TrySetResult();
        }

        protected override void PreStart() =>
            Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, InitialStateAsSnapshot,
                typeof(IMemberEvent), typeof(IReachabilityEvent));

        protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);
    }
}
