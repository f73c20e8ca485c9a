using SocketPeer.Tools;

namespace SocketPeer.Testing;

/// <summary>The test-side view of <see cref="NodeTlsFiles"/>: the same files as typed cluster settings.</summary>
public static class NodeTlsFilesExtensions
{
    /// <summary>The same settings as <see cref="Actors.Cluster.ClusterTlsSettings"/>.</summary>
    public static Actors.Cluster.ClusterTlsSettings Tls(this NodeTlsFiles files, bool validateHostname = false) => new()
    {
        Enabled = true,
        CertificatePath = files.Certificate,
        KeyPath = files.Key,
        CaPath = files.Ca,
        ValidateHostname = validateHostname,
    };
}
