using k8s.Models;
using SocketPeer.Deploy.Tests.Infrastructure;

namespace SocketPeer.Deploy.Tests;

/// <summary>Pinned images, no API token, least privilege, and only the ports clients need.</summary>
public class SecurityTests
{
    [Theory]
    [MemberData(nameof(Rendering.All), MemberType = typeof(Rendering))]
    public void Images_are_pinned_to_a_version(string kustomization)
    {
        var rendering = Rendering.Of(kustomization);
        var pod = rendering.Pod;

        foreach (var image in pod.Containers.Concat(pod.InitContainers ?? []).Select(c => c.Image))
            Assert.True(Images.IsPinned(image), $"{kustomization}: image {image} is not pinned to a version tag or digest.");
    }

    [Theory]
    [MemberData(nameof(Rendering.All), MemberType = typeof(Rendering))]
    public void Pods_get_no_service_account_token(string kustomization)
    {
        var rendering = Rendering.Of(kustomization);
        var account = rendering.Named<V1ServiceAccount>(rendering.Pod.ServiceAccountName);

        Assert.False(account.AutomountServiceAccountToken);
        Assert.False(rendering.Pod.AutomountServiceAccountToken);
    }

    [Theory]
    [MemberData(nameof(Rendering.All), MemberType = typeof(Rendering))]
    public void The_container_runs_unprivileged_on_a_read_only_filesystem(string kustomization)
    {
        var rendering = Rendering.Of(kustomization);
        var pod = rendering.Pod.SecurityContext;
        var container = rendering.Container.SecurityContext;

        Assert.True(pod.RunAsNonRoot);
        Assert.Equal(Images.DockerfileUser(), pod.RunAsUser);
        Assert.Equal("RuntimeDefault", (container.SeccompProfile ?? pod.SeccompProfile)?.Type);
        Assert.False(container.AllowPrivilegeEscalation);
        Assert.True(container.ReadOnlyRootFilesystem);
        Assert.Contains("ALL", container.Capabilities.Drop);
        Assert.Null(container.Capabilities.Add);
        Assert.NotEqual(true, container.Privileged);
    }

    [Theory]
    [MemberData(nameof(Rendering.All), MemberType = typeof(Rendering))]
    public void Tmp_is_writable(string kustomization)
    {
        // .NET puts its diagnostics sockets and temporary files in /tmp.
        var rendering = Rendering.Of(kustomization);
        var mount = Assert.Single(rendering.Container.VolumeMounts, m => m.MountPath == "/tmp");
        var volume = Assert.Single(rendering.Pod.Volumes, v => v.Name == mount.Name);

        Assert.NotNull(volume.EmptyDir);
        Assert.NotEqual(true, mount.ReadOnlyProperty);
    }

    [Theory]
    [MemberData(nameof(Rendering.All), MemberType = typeof(Rendering))]
    public void Every_container_has_requests_and_limits(string kustomization)
    {
        var resources = Rendering.Of(kustomization).Container.Resources;

        foreach (var resource in new[] { "cpu", "memory" })
        {
            Assert.True(resources.Requests?.ContainsKey(resource) == true, $"{kustomization}: no {resource} request.");
            Assert.True(resources.Limits?.ContainsKey(resource) == true, $"{kustomization}: no {resource} limit.");
            Assert.True(resources.Requests[resource].ToDecimal() <= resources.Limits[resource].ToDecimal());
        }
    }

    [Theory]
    [MemberData(nameof(Rendering.All), MemberType = typeof(Rendering))]
    public void Only_SocketPeer_pods_reach_the_remoting_port(string kustomization)
    {
        var rendering = Rendering.Of(kustomization);
        var policy = rendering.Single<V1NetworkPolicy>();
        var rules = policy.Spec.Ingress.ToList();

        Assert.True(rendering.SelectsPods(policy.Spec.PodSelector.MatchLabels));
        Assert.Contains("Ingress", policy.Spec.PolicyTypes);
        // Every rule opens ports by name, and every port it opens is one of the container's.
        var opened = rules.SelectMany(r => r.Ports ?? []).Select(p => rendering.ResolvePort(p.Port)?.Name).ToList();
        Assert.DoesNotContain(null, opened);
        Assert.True(rules.All(r => r.Ports is { Count: > 0 }), $"{kustomization}: a rule without ports opens every port.");

        foreach (var rule in rules.Where(r => r.Ports.Any(p => rendering.ResolvePort(p.Port)?.Name == "remoting")))
        {
            var peer = Assert.Single(rule.FromProperty ?? []);
            Assert.Null(peer.NamespaceSelector); // this namespace only
            Assert.Null(peer.IpBlock);
            Assert.True(rendering.SelectsPods(peer.PodSelector?.MatchLabels));
        }
        Assert.Contains(rules, r => r.Ports.Any(p => rendering.ResolvePort(p.Port)?.Name == "http"));
    }

    [Theory]
    [MemberData(nameof(Rendering.All), MemberType = typeof(Rendering))]
    public void Each_port_admits_only_the_peers_it_needs(string kustomization)
    {
        // Every rule names its peers (a rule without from admits everyone), and no rule opens two of
        // the ports: the ingress controller does not reach metrics, Prometheus does not reach sockets.
        var rendering = Rendering.Of(kustomization);
        var rules = rendering.Single<V1NetworkPolicy>().Spec.Ingress.ToList();
        var container = rendering.Container.Ports.Select(p => p.Name).ToHashSet();

        foreach (var rule in rules)
        {
            Assert.True(rule.FromProperty is { Count: > 0 }, $"{kustomization}: a rule without from admits every source.");
            Assert.All(rule.FromProperty, peer => Assert.Null(peer.IpBlock));
            Assert.Single(rule.Ports.Select(p => rendering.ResolvePort(p.Port)?.Name).Distinct());
        }
        var opened = rules.SelectMany(r => r.Ports).Select(p => rendering.ResolvePort(p.Port)?.Name).ToList();
        Assert.Equal(opened.Count, opened.Distinct().Count()); // one rule per port
        Assert.Equal(container, opened.ToHashSet()!); // every port the container has, and nothing else
        var management = Assert.Single(rules, r => rendering.ResolvePort(r.Ports[0].Port)?.Name == "management");
        var http = Assert.Single(rules, r => rendering.ResolvePort(r.Ports[0].Port)?.Name == "http");
        Assert.NotEqual(Peers(management), Peers(http));

        static string Peers(V1NetworkPolicyIngressRule rule) =>
            string.Join(";", rule.FromProperty.Select(p => $"{Labels(p.NamespaceSelector?.MatchLabels)}/{Labels(p.PodSelector?.MatchLabels)}"));

        static string Labels(IDictionary<string, string>? labels) =>
            labels is null ? "*" : string.Join(",", labels.OrderBy(l => l.Key).Select(l => $"{l.Key}={l.Value}"));
    }
}
