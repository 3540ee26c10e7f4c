using System.Security.Cryptography.X509Certificates;

namespace Watchdog.Kubernetes;

/// <summary>How to reach one API server: from a kubeconfig context or the pod's service account.</summary>
public sealed record KubernetesClientConfig
{
    public required Uri Server { get; init; }

    /// <summary>The context's namespace (in-cluster: the pod's), <c>default</c> when none is set.</summary>
    public string Namespace { get; init; } = "default";

    public IKubernetesCredentials? Credentials { get; init; }

    /// <summary>Roots to trust instead of the system store; null trusts the system store.</summary>
    public X509Certificate2Collection? CertificateAuthorities { get; init; }

    public bool InsecureSkipTlsVerify { get; init; }

    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>Where the configuration came from, for messages (e.g. <c>kubeconfig /home/x/.kube/config context prod</c>).</summary>
    public string Origin { get; init; } = "";
}
