using k8s.Models;
using SocketPeer.Tools;

namespace SocketPeer.Deploy.Tests.Infrastructure;

/// <summary>
/// The files a pod finds where a Secret that a cert-manager Certificate fills is mounted: <c>tls.crt</c>,
/// <c>tls.key</c> and <c>ca.crt</c>, as cert-manager writes them, made here by a test CA for the
/// Certificate's DNS names in a folder that stands in for the mount. Environment values under the mount
/// path are pointed at that folder, so the gateway's start-up validation reads real files; a path to a
/// file the Secret does not hold, or under no such mount, is left as it is (and fails that validation).
/// </summary>
internal sealed class MountedCertificates : IDisposable
{
    /// <summary>The keys cert-manager writes into a Certificate's Secret.</summary>
    public static readonly IReadOnlyList<string> SecretKeys = ["tls.crt", "tls.key", "ca.crt"];

    private readonly List<IDisposable> _owned = [];

    private MountedCertificates()
    {
    }

    public static MountedCertificates Materialize(Rendering rendering, IReadOnlyDictionary<string, string> environment,
        out IReadOnlyDictionary<string, string> rewritten)
    {
        var mounted = new MountedCertificates();
        var values = new Dictionary<string, string>(environment, StringComparer.Ordinal);
        foreach (var (mount, certificate) in CertificateMounts(rendering))
        {
            var ca = LocalCertificateAuthority.Create($"{certificate.Name} test CA");
            mounted._owned.Add(ca);
            using var issued = ca.Issue(certificate.Name, [.. certificate.Values("spec.dnsNames")]);
            var files = new NodeTlsFiles(issued, ca.Certificate);
            mounted._owned.Add(files);
            var prefix = mount.MountPath.TrimEnd('/') + "/";
            foreach (var (name, value) in environment)
                if (value.StartsWith(prefix, StringComparison.Ordinal) && SecretKeys.Contains(value[prefix.Length..]))
                    values[name] = Path.Combine(files.Folder, value[prefix.Length..]);
        }
        rewritten = values;
        return mounted;
    }

    /// <summary>The container's mounts of Secret volumes that a Certificate of the rendering fills, with that Certificate.</summary>
    public static IEnumerable<(V1VolumeMount Mount, CustomResource Certificate)> CertificateMounts(Rendering rendering)
    {
        foreach (var mount in rendering.Container.VolumeMounts ?? [])
        {
            var secret = rendering.Pod.Volumes?.SingleOrDefault(v => v.Name == mount.Name)?.Secret;
            if (secret is null)
                continue;
            var certificate = rendering.CustomResourcesOf("Certificate").SingleOrDefault(c => c.Value("spec.secretName") == secret.SecretName);
            if (certificate is not null)
                yield return (mount, certificate);
        }
    }

    public void Dispose()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
            owned.Dispose();
    }
}
