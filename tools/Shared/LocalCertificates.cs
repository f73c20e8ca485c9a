using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SocketPeer.Tools;

/// <summary>
/// A certificate authority made on the spot, as cert-manager's CA issuer makes one for a cluster:
/// it signs node certificates valid for server and client authentication. One source file compiled
/// into the tests' helpers and the benchmark (linked from their projects), not a library of its own.
/// </summary>
public sealed class LocalCertificateAuthority : IDisposable
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");

    private LocalCertificateAuthority(X509Certificate2 certificate) => Certificate = certificate;

    /// <summary>The CA's own certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    public static LocalCertificateAuthority Create(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        return new LocalCertificateAuthority(request.CreateSelfSigned(now.AddHours(-1), now.AddDays(365)));
    }

    /// <summary>A node certificate for <paramref name="hosts"/> (DNS names or IP addresses), signed by this CA, valid for 30 days.</summary>
    public X509Certificate2 Issue(string name, params string[] hosts) => Issue(name, TimeSpan.FromDays(30), hosts);

    /// <summary>A node certificate for <paramref name="hosts"/>, signed by this CA, valid for <paramref name="lifetime"/> from now.</summary>
    public X509Certificate2 Issue(string name, TimeSpan lifetime, params string[] hosts)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = NodeRequest(name, key, hosts);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        var now = DateTimeOffset.UtcNow;
        using var signed = request.Create(Certificate, now.AddMinutes(-10), now.Add(lifetime), serial);
        return signed.CopyWithPrivateKey(key);
    }

    /// <summary>A node certificate for <paramref name="hosts"/> that signs itself: no CA vouches for it.</summary>
    public static X509Certificate2 SelfSigned(string name, params string[] hosts)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var now = DateTimeOffset.UtcNow;
        return NodeRequest(name, key, hosts).CreateSelfSigned(now.AddMinutes(-10), now.AddDays(30));
    }

    private static CertificateRequest NodeRequest(string name, ECDsa key, string[] hosts)
    {
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ServerAuth, ClientAuth], false));
        var names = new SubjectAlternativeNameBuilder();
        foreach (var host in hosts)
            if (IPAddress.TryParse(host, out var address))
                names.AddIpAddress(address);
            else
                names.AddDnsName(host);
        request.CertificateExtensions.Add(names.Build());
        return request;
    }

    public void Dispose() => Certificate.Dispose();
}

/// <summary>
/// A node's TLS files as a cert-manager Secret mounts them: <c>tls.crt</c>, <c>tls.key</c> and
/// <c>ca.crt</c> (the CAs it trusts), in a folder of their own that is deleted with this.
/// </summary>
public sealed class NodeTlsFiles : IDisposable
{
    private readonly DirectoryInfo _folder;

    public NodeTlsFiles(X509Certificate2 certificate, params X509Certificate2[] trusted)
    {
        _folder = Directory.CreateTempSubdirectory("socketpeer-tls-");
        File.WriteAllText(Certificate, certificate.ExportCertificatePem());
        File.WriteAllText(Key, certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(Ca, string.Join('\n', trusted.Select(c => c.ExportCertificatePem())));
    }

    public string Folder => _folder.FullName;

    public string Certificate => Path.Combine(Folder, "tls.crt");

    public string Key => Path.Combine(Folder, "tls.key");

    public string Ca => Path.Combine(Folder, "ca.crt");

    /// <summary>The <c>SocketPeer:Cluster:Tls</c> settings that use these files.</summary>
    public (string Key, string Value)[] Settings(bool validateHostname = false) =>
    [
        ("SocketPeer:Cluster:Tls:Enabled", "true"),
        ("SocketPeer:Cluster:Tls:CertificatePath", Certificate),
        ("SocketPeer:Cluster:Tls:KeyPath", Key),
        ("SocketPeer:Cluster:Tls:CaPath", Ca),
        ("SocketPeer:Cluster:Tls:ValidateHostname", validateHostname ? "true" : "false"),
    ];

    public void Dispose() => _folder.Delete(recursive: true);
}
