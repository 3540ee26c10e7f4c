using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Watchdog.Kubernetes;

/// <summary>The pod's service account (client-go rest.InClusterConfig).</summary>
public static class InClusterConfigLoader
{
    public const string ServiceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount";

    public static bool IsInCluster(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return !string.IsNullOrEmpty(environment("KUBERNETES_SERVICE_HOST")) && !string.IsNullOrEmpty(environment("KUBERNETES_SERVICE_PORT"));
    }

    public static KubernetesClientConfig Load(Func<string, string?> environment, TimeProvider time, string directory = ServiceAccountDirectory)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (!IsInCluster(environment))
        {
            throw new KubernetesConfigException(["not in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must both be set"]);
        }

        var host = environment("KUBERNETES_SERVICE_HOST")!;
        var port = environment("KUBERNETES_SERVICE_PORT")!;
        var tokenFile = Path.Combine(directory, "token");
        if (!File.Exists(tokenFile))
        {
            throw new KubernetesConfigException([$"service account token {tokenFile} does not exist"]);
        }

        X509Certificate2Collection? authorities = null;
        var caFile = Path.Combine(directory, "ca.crt");
        if (File.Exists(caFile))
        {
            try
            {
                authorities = [];
                authorities.ImportFromPemFile(caFile);
            }
            catch (CryptographicException)
            {
                // As client-go: an unreadable CA only costs trust in the server, which then fails the TLS handshake visibly.
                authorities = null;
            }
        }

        var namespaceFile = Path.Combine(directory, "namespace");
        var ns = File.Exists(namespaceFile) ? File.ReadAllText(namespaceFile).Trim() : "";
        var hostPart = host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host; // JoinHostPort brackets IPv6
        return new KubernetesClientConfig
        {
            Server = new Uri($"https://{hostPart}:{port}"),
            Namespace = ns.Length > 0 ? ns : "default",
            Credentials = new TokenFileCredentials(tokenFile, time),
            CertificateAuthorities = authorities,
            Origin = "in-cluster service account",
        };
    }
}
