using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Watchdog.Tests.Kubernetes;

/// <summary>Self-signed certificates for 127.0.0.1, made per test run, and their base64 PEM as kubeconfigs carry them.</summary>
internal static class TestCertificates
{
    public static X509Certificate2 Create(string subject)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={subject}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var created = request.CreateSelfSigned(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero));
        // Kestrel on Linux needs a key that survives the handshake: round-trip through PKCS#12.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    }

    public static string CertificateData(X509Certificate2 certificate) => Base64(certificate.ExportCertificatePem());

    public static string KeyData(X509Certificate2 certificate) => Base64(certificate.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());

    private static string Base64(string pem) => Convert.ToBase64String(Encoding.UTF8.GetBytes(pem));
}
