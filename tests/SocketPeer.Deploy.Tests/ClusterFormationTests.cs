using k8s.Models;
using SocketPeer.Actors.Cluster;
using SocketPeer.Deploy.Tests.Infrastructure;

namespace SocketPeer.Deploy.Tests;

/// <summary>
/// The cluster forms from seed nodes that are the StatefulSet's stable pod DNS names
/// (docs/architecture.md section 6): every name the manifests use must be one Kubernetes really creates.
/// </summary>
public class ClusterFormationTests
{
    [Theory]
    [MemberData(nameof(Rendering.All), MemberType = typeof(Rendering))]
    public void Every_pod_advertises_its_own_DNS_name(string kustomization)
    {
        var rendering = Rendering.Of(kustomization);

        for (var ordinal = 0; ordinal < rendering.MaximumReplicas; ordinal++)
        {
            var environment = PodEnvironment.Of(rendering, ordinal);
            Assert.Equal(rendering.PodDnsName(ordinal), environment["SocketPeer__Cluster__PublicHostname"]);
        }
        Assert.Equal(rendering.PodDnsName(0), GatewayHost.Of(rendering, 0).Options.Cluster.AdvertisedHostname);
    }

    [Theory]
    [MemberData(nameof(Rendering.All), MemberType = typeof(Rendering))]
    public void Every_pod_binds_remoting_on_all_its_interfaces(string kustomization)
    {
        // Binding the pod's DNS name would need it to resolve when the process starts.
        var cluster = GatewayHost.Of(Rendering.Of(kustomization), 0).Options.Cluster;

        Assert.Equal("0.0.0.0", cluster.Hostname);
        Assert.NotEqual(cluster.Hostname, cluster.AdvertisedHostname);
    }

    [Theory]
    [MemberData(nameof(Rendering.All), MemberType = typeof(Rendering))]
    public void Seed_nodes_are_the_first_pods_of_the_StatefulSet_in_order(string kustomization)
    {
        var rendering = Rendering.Of(kustomization);
        var cluster = GatewayHost.Of(rendering, 0).Options.Cluster;

        var expected = Enumerable.Range(0, cluster.SeedNodes.Length)
            .Select(i => $"akka.tcp://{ClusterSettings.SystemName}@{rendering.PodDnsName(i)}:{rendering.Port("remoting").ContainerPort}");

        Assert.NotEmpty(cluster.SeedNodes); // with none, every pod would start a cluster of its own
        Assert.Equal(expected, cluster.SeedNodes); // socketpeer-0 first: the first seed is the one that may join itself
        Assert.True(cluster.SeedNodes.Length <= rendering.MinimumReplicas,
            $"{kustomization}: {cluster.SeedNodes.Length} seeds, but as few as {rendering.MinimumReplicas} pods exist.");
    }

    [Theory]
    [MemberData(nameof(Rendering.All), MemberType = typeof(Rendering))]
    public void A_restarted_first_seed_can_find_the_running_cluster(string kustomization)
    {
        // The first seed joins itself when no other seed answers; if it were the only seed, a restarted
        // socketpeer-0 would start a second cluster beside the running one.
        var rendering = Rendering.Of(kustomization);
        var seeds = GatewayHost.Of(rendering, 0).Options.Cluster.SeedNodes;

        if (rendering.MinimumReplicas > 1)
            Assert.True(seeds.Length >= 2, $"{kustomization}: runs {rendering.MinimumReplicas} pods but lists {seeds.Length} seed.");
    }

    [Theory]
    [MemberData(nameof(Rendering.All), MemberType = typeof(Rendering))]
    public void Every_pod_has_the_same_seed_nodes(string kustomization)
    {
        var rendering = Rendering.Of(kustomization);

        Assert.Equal(GatewayHost.Of(rendering, 0).Options.Cluster.SeedNodes,
            GatewayHost.Of(rendering, rendering.MaximumReplicas - 1).Options.Cluster.SeedNodes);
    }

    [Theory]
    [MemberData(nameof(Rendering.All), MemberType = typeof(Rendering))]
    public void The_governing_service_publishes_pods_before_they_are_ready(string kustomization)
    {
        // Readiness means "an Up cluster member", and a pod must resolve its seeds to become one.
        var rendering = Rendering.Of(kustomization);
        var headless = rendering.Named<V1Service>(rendering.StatefulSet.Spec.ServiceName);

        Assert.Equal("None", headless.Spec.ClusterIP);
        Assert.True(headless.Spec.PublishNotReadyAddresses);
        Assert.True(rendering.SelectsPods(headless.Spec.Selector));
    }

    [Theory]
    [InlineData("deploy/k8s/overlays/dev", 1)]
    [InlineData("deploy/k8s/overlays/production", 3)]
    public void Overlays_run_their_replica_counts(string kustomization, int replicas)
    {
        var rendering = Rendering.Of(kustomization);

        Assert.Equal(replicas, rendering.StatefulSet.Spec.Replicas);
        Assert.Equal("Parallel", rendering.StatefulSet.Spec.PodManagementPolicy);
        if (rendering.Autoscaler is { } autoscaler)
        {
            // Re-applying the manifests sets the replicas back to this floor, never below it.
            Assert.Equal(replicas, autoscaler.Spec.MinReplicas);
            Assert.True(autoscaler.Spec.MaxReplicas >= autoscaler.Spec.MinReplicas);
        }
    }

    [Theory]
    [MemberData(nameof(Rendering.All), MemberType = typeof(Rendering))]
    public void Disruptions_take_one_pod_at_a_time(string kustomization)
    {
        var rendering = Rendering.Of(kustomization);
        var budget = rendering.Single<V1PodDisruptionBudget>();

        Assert.Equal("1", budget.Spec.MaxUnavailable?.Value);
        Assert.True(rendering.SelectsPods(budget.Spec.Selector.MatchLabels));
    }
}
