using SocketPeer.Deploy.Tests.Infrastructure;

namespace SocketPeer.Deploy.Tests;

/// <summary>
/// Cluster TLS on Kubernetes (docs/kubernetes.md, "Cluster TLS"): production turns it on, its files are
/// the ones cert-manager writes into the Secret the pod mounts, the certificate names every pod and
/// serves both ends of a connection, and every certificate's issuer is in the manifests.
/// </summary>
public class ClusterTlsTests
{
    private const string Production = "deploy/k8s/overlays/production";

    [Fact]
    public void Production_runs_the_cluster_over_mutual_TLS_with_hostname_validation()
    {
        // Building the gateway validated the files: they exist, hold a key, and chain to the CA file.
        var tls = GatewayHost.Of(Rendering.Of(Production), 0).Options.Cluster.Tls;

        Assert.True(tls.Enabled);
        Assert.True(tls.ValidateHostname);
    }

    [Theory]
    [MemberData(nameof(Rendering.All), MemberType = typeof(Rendering))]
    public void Every_pod_agrees_on_cluster_TLS(string kustomization)
    {
        // A node with TLS and one without cannot associate.
        var rendering = Rendering.Of(kustomization);

        Assert.Equal(GatewayHost.Of(rendering, 0).Options.Cluster.Tls.Enabled,
            GatewayHost.Of(rendering, rendering.MaximumReplicas - 1).Options.Cluster.Tls.Enabled);
    }

    [Theory]
    [MemberData(nameof(Rendering.All), MemberType = typeof(Rendering))]
    public void TLS_files_are_keys_of_a_mounted_Secret_that_a_Certificate_fills(string kustomization)
    {
        var rendering = Rendering.Of(kustomization);
        var tls = PodEnvironment.Of(rendering, 0);
        if (!tls.TryGetValue("SocketPeer__Cluster__Tls__Enabled", out var enabled) || enabled != "true")
            return;

        var mounts = MountedCertificates.CertificateMounts(rendering).Select(m => m.Mount.MountPath.TrimEnd('/') + "/").ToList();
        Assert.NotEmpty(mounts);
        foreach (var key in new[] { "CertificatePath", "KeyPath", "CaPath" })
        {
            var path = tls[$"SocketPeer__Cluster__Tls__{key}"];
            var mount = mounts.SingleOrDefault(m => path.StartsWith(m, StringComparison.Ordinal));
            Assert.True(mount is not null, $"{kustomization}: Tls:{key} '{path}' is under no mount of a Secret that a Certificate fills.");
            Assert.Contains(path[mount.Length..], MountedCertificates.SecretKeys);
        }
        Assert.All(MountedCertificates.CertificateMounts(rendering), m => Assert.True(m.Mount.ReadOnlyProperty));
    }

    [Theory]
    [MemberData(nameof(Rendering.All), MemberType = typeof(Rendering))]
    public void The_node_certificate_names_every_pod_and_serves_both_ends(string kustomization)
    {
        var rendering = Rendering.Of(kustomization);

        foreach (var (_, certificate) in MountedCertificates.CertificateMounts(rendering))
        {
            var names = certificate.Values("spec.dnsNames");
            for (var ordinal = 0; ordinal < rendering.MaximumReplicas; ordinal++)
            {
                var pod = rendering.PodDnsName(ordinal);
                Assert.True(names.Any(name => Names(name, pod)), $"{kustomization}: {certificate.Name} does not name {pod} ({string.Join(", ", names)}).");
            }
            // A node is the server of the connections it accepts and the client of those it opens.
            Assert.Contains("server auth", certificate.Values("spec.usages"));
            Assert.Contains("client auth", certificate.Values("spec.usages"));
        }
    }

    [Theory]
    [MemberData(nameof(Rendering.All), MemberType = typeof(Rendering))]
    public void Every_certificate_has_its_issuer_in_the_manifests(string kustomization)
    {
        // An Issuer of kind CA signs with the Secret of a CA Certificate, so the chain is complete in the manifests.
        var rendering = Rendering.Of(kustomization);
        var issuers = rendering.CustomResourcesOf("Issuer").ToList();

        foreach (var certificate in rendering.CustomResourcesOf("Certificate"))
        {
            Assert.Equal("Issuer", certificate.Value("spec.issuerRef.kind") ?? "Issuer");
            var issuer = Assert.Single(issuers, i => i.Name == certificate.Value("spec.issuerRef.name"));
            if (issuer.Value("spec.ca.secretName") is { } caSecret)
            {
                var ca = Assert.Single(rendering.CustomResourcesOf("Certificate"), c => c.Value("spec.secretName") == caSecret);
                Assert.Equal("true", ca.Value("spec.isCA"));
            }
        }
    }

    /// <summary>Does a certificate DNS name cover a host? A wildcard stands for exactly one leftmost label.</summary>
    private static bool Names(string name, string host) =>
        name.StartsWith("*.", StringComparison.Ordinal)
            ? host.IndexOf('.') is > 0 and var dot && string.Equals(host[(dot + 1)..], name[2..], StringComparison.OrdinalIgnoreCase)
            : string.Equals(name, host, StringComparison.OrdinalIgnoreCase);
}
