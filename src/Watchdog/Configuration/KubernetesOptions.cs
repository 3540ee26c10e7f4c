namespace Watchdog.Configuration;

/// <summary>
/// Which cluster the Kubernetes actions talk to. Nothing set: in-cluster when running in a pod, else
/// <c>$KUBECONFIG</c> or <c>~/.kube/config</c> with its current context. <see cref="Server"/> is the shortcut for
/// a kubeconfig with one cluster and one user (the simulator, a local proxy, a plain token).
/// </summary>
internal sealed record KubernetesOptions
{
    /// <summary>A kubeconfig path; relative to the Watchdog config file's folder.</summary>
    public string? Kubeconfig { get; init; }

    /// <summary>A context of the kubeconfig instead of its current-context.</summary>
    public string? Context { get; init; }

    /// <summary>Use the pod's service account even if a kubeconfig exists.</summary>
    public bool InCluster { get; init; }

    /// <summary>The API server's URL, instead of a kubeconfig.</summary>
    public Uri? Server { get; init; }

    /// <summary>A bearer token for <see cref="Server"/>: a secret, never shown (see <see cref="ToString"/>).</summary>
    public string? Token { get; init; }

    /// <summary>A file holding the bearer token, read again as it changes (a projected service-account token rotates).</summary>
    public string? TokenFile { get; init; }

    /// <summary>Do not check <see cref="Server"/>'s certificate, like kubectl's <c>insecure-skip-tls-verify</c>.</summary>
    public bool InsecureSkipTlsVerify { get; init; }

    public KubernetesRetryOptions Retry { get; init; } = new();

    // The record's own ToString would print the token.
    public override string ToString() =>
        $"KubernetesOptions {{ Kubeconfig = {Kubeconfig}, Context = {Context}, InCluster = {InCluster}, Server = {Server}, " +
        $"Token = {(Token is null ? "" : "***")}, TokenFile = {TokenFile}, InsecureSkipTlsVerify = {InsecureSkipTlsVerify}, Retry = {Retry} }}";
}
