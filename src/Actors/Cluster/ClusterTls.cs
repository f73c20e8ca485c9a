using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Akka.Event;
using Akka.Remote.Hosting;
using Akka.Remote.Transport.DotNetty;

namespace SocketPeer.Actors.Cluster;

/// <summary>
/// Mutual TLS between the nodes (<c>SocketPeer:Cluster:Tls</c>, docs/security.md): every remoting
/// connection is encrypted, and each end presents its certificate and accepts the other's only if it
/// chains to one of the certificate authorities in <see cref="CaPath"/> (the pinned issuer). Off by
/// default: <c>dotnet run</c> needs no certificate. All nodes of a cluster must agree: a node with TLS
/// and one without cannot associate.
/// </summary>
public sealed class ClusterTlsSettings
{
    /// <summary>Turns TLS on for remoting; then <see cref="CertificatePath"/> and <see cref="CaPath"/> are required.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// This node's certificate: a PEM file (with <see cref="KeyPath"/>, or with its key in the same file;
    /// on Kubernetes the Secret's <c>tls.crt</c>) or a PKCS#12 file (<c>.pfx</c>/<c>.p12</c>, key included).
    /// It must be valid for both server and client authentication: a node is both.
    /// </summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PEM private key of <see cref="CertificatePath"/> (the Secret's <c>tls.key</c>); empty when the key is in that file.</summary>
    public string? KeyPath { get; set; }

    /// <summary>Password of a PKCS#12 <see cref="CertificatePath"/>; empty for none.</summary>
    public string? Password { get; set; }

    /// <summary>
    /// PEM file of the certificate authorities a peer's certificate must chain to (the Secret's
    /// <c>ca.crt</c>): only these, never the system's trusted roots, so a certificate from any other
    /// issuer, public or private, is refused. A node presents its own certificate only, so any
    /// intermediate CA between it and the root goes here too.
    /// </summary>
    public string? CaPath { get; set; }

    /// <summary>
    /// Also check, when this node connects to another, that the other's certificate names the host of
    /// the address it is reached at (its DNS name or IP address in the certificate's subject
    /// alternative names). Inbound connections cannot be checked this way: a connecting node is known
    /// only by its IP address.
    /// </summary>
    public bool ValidateHostname { get; set; }

    /// <summary><c>.pfx</c> and <c>.p12</c> files are PKCS#12; anything else is PEM.</summary>
    public bool IsPkcs12 =>
        CertificatePath is { } path &&
        (path.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".p12", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// This node's certificate with its private key. Read once, when the actor system starts: a
    /// renewed certificate takes effect when the node restarts (docs/kubernetes.md, "Cluster TLS").
    /// </summary>
    public X509Certificate2 LoadCertificate()
    {
        var path = CertificatePath ?? throw new InvalidOperationException("SocketPeer:Cluster:Tls:CertificatePath is not set.");
        if (IsPkcs12)
            return X509CertificateLoader.LoadPkcs12FromFile(path, string.IsNullOrEmpty(Password) ? null : Password);
        using var pem = string.IsNullOrEmpty(KeyPath)
            ? X509Certificate2.CreateFromPemFile(path)
            : X509Certificate2.CreateFromPemFile(path, KeyPath);
        // A PEM key is ephemeral; TLS on some platforms needs a key it can find again, which a
        // PKCS#12 round trip gives.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>The certificate authorities of <see cref="CaPath"/>.</summary>
    public X509Certificate2Collection LoadTrustedIssuers()
    {
        var path = CaPath ?? throw new InvalidOperationException("SocketPeer:Cluster:Tls:CaPath is not set.");
        var issuers = new X509Certificate2Collection();
        issuers.ImportFromPemFile(path);
        if (issuers.Count == 0)
            throw new InvalidOperationException($"SocketPeer:Cluster:Tls:CaPath '{path}' holds no PEM certificate.");
        return issuers;
    }

    /// <summary>
    /// Why the configured files cannot be used, or null when they can: each file is read and parsed,
    /// and the certificate must have its private key and chain to <see cref="CaPath"/> itself (a node
    /// whose own certificate its peers would refuse is a mistake to stop at start-up).
    /// </summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (!Enabled)
            return problems;
        const string prefix = "SocketPeer:Cluster:Tls:";
        if (string.IsNullOrWhiteSpace(CertificatePath))
            problems.Add($"{prefix}Enabled is true but {prefix}CertificatePath is not set.");
        if (string.IsNullOrWhiteSpace(CaPath))
            problems.Add($"{prefix}Enabled is true but {prefix}CaPath is not set: peers are accepted only if their certificate chains to it.");
        if (IsPkcs12 && !string.IsNullOrEmpty(KeyPath))
            problems.Add($"{prefix}KeyPath is set but {prefix}CertificatePath is PKCS#12, which holds its key.");
        foreach (var (key, path) in new[] { ("CertificatePath", CertificatePath), ("KeyPath", KeyPath), ("CaPath", CaPath) })
            if (!string.IsNullOrWhiteSpace(path) && !File.Exists(path))
                problems.Add($"{prefix}{key}: no file at '{path}'.");
        if (problems.Count > 0)
            return problems;

        X509Certificate2Collection issuers;
        try
        {
            issuers = LoadTrustedIssuers();
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or InvalidOperationException or IOException)
        {
            problems.Add($"{prefix}CaPath '{CaPath}' is not a PEM file of certificates: {e.Message}");
            return problems;
        }
        try
        {
            using var certificate = LoadCertificate();
            if (!certificate.HasPrivateKey)
                problems.Add($"{prefix}CertificatePath '{CertificatePath}' has no private key.");
            else if (!ChainsTo(certificate, issuers, extra: null, out var status))
                problems.Add($"{prefix}CertificatePath '{CertificatePath}' ({certificate.Subject}) does not chain to a certificate authority in CaPath '{CaPath}' ({status}): the other nodes would refuse it.");
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or ArgumentException or IOException)
        {
            problems.Add($"{prefix}CertificatePath '{CertificatePath}'{(string.IsNullOrEmpty(KeyPath) ? "" : $" with KeyPath '{KeyPath}'")} is not a certificate with its private key: {e.Message}");
        }
        return problems;
    }

    /// <summary>
    /// Remoting over TLS with this node's certificate, both ends authenticated, and peers checked by
    /// <see cref="Validator"/> (the typed Akka.Hosting options; they hand Akka a <c>DotNettySslSetup</c>).
    /// </summary>
    public void ApplyTo(RemoteOptions remote)
    {
        if (!Enabled)
            return;
        remote.EnableSsl = true;
        remote.Ssl = new SslOptions
        {
            X509Certificate = LoadCertificate(),
            RequireMutualAuthentication = true,
            SuppressValidation = false,
            ValidateCertificateHostname = ValidateHostname,
            CustomValidator = Validator(LoadTrustedIssuers(), ValidateHostname),
        };
    }

    /// <summary>
    /// Accepts a peer's certificate when it chains to one of <paramref name="issuers"/> (and no other
    /// root) and, with <paramref name="validateHostname"/>, names the host this node connected to. The
    /// platform's own chain verdict is ignored: it trusts the system's roots, which the cluster's CA is
    /// not among and which must not admit anyone.
    /// </summary>
    public static CertificateValidationCallback Validator(X509Certificate2Collection issuers, bool validateHostname) =>
        (certificate, chain, peer, errors, log) =>
        {
            if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
            {
                log.Warning("Cluster TLS: {0} presented no certificate", peer);
                return false;
            }
            // Set only when this node connected out: the peer's certificate does not name the host.
            if (validateHostname && errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
            {
                log.Warning("Cluster TLS: the certificate of {0} ({1}) does not name its host", peer, certificate.Subject);
                return false;
            }
            if (!ChainsTo(certificate, issuers, chain, out var status))
            {
                log.Warning("Cluster TLS: the certificate of {0} ({1}, issued by {2}) does not chain to the cluster's certificate authority: {3}",
                    peer, certificate.Subject, certificate.Issuer, status);
                return false;
            }
            return true;
        };

    private static bool ChainsTo(X509Certificate2 certificate, X509Certificate2Collection issuers, X509Chain? extra, out string status)
    {
        using var own = new X509Chain();
        own.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        own.ChainPolicy.CustomTrustStore.AddRange(issuers);
        // A private CA publishes no revocation list; rotation is by short-lived certificates instead.
        own.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        // Intermediates the peer sent with its certificate.
        if (extra is not null)
            foreach (var element in extra.ChainElements)
                if (!element.Certificate.Equals(certificate))
                    own.ChainPolicy.ExtraStore.Add(element.Certificate);
        var valid = own.Build(certificate);
        status = valid
            ? "valid"
            : string.Join("; ", own.ChainStatus.Select(s => $"{s.Status}: {s.StatusInformation.Trim()}"));
        return valid;
    }
}
