namespace Watchdog.Configuration;

/// <summary>
/// Which cluster the Kubernetes actions talk to. Nothing set: in-cluster when running in a pod, else
/// <c>$KUBECONFIG</c> or <c>~/.kube/config</c> with its current context.
/// </summary>
internal sealed record KubernetesOptions
{
    /// <summary>A kubeconfig path; relative to the Watchdog config file's folder.</summary>
    public string? Kubeconfig { get; init; }

    /// <summary>A context of the kubeconfig instead of its current-context.</summary>
    public string? Context { get; init; }

    /// <summary>Use the pod's service account even if a kubeconfig exists.</summary>
    public bool InCluster { get; init; }

    public KubernetesRetryOptions Retry { get; init; } = new();
}
