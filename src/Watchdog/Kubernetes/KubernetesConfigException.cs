namespace Watchdog.Kubernetes;

/// <summary>A kubeconfig or in-cluster setup that cannot work; every problem found, not only the first.</summary>
internal sealed class KubernetesConfigException(IReadOnlyList<string> errors)
    : Exception("Kubernetes client configuration: " + string.Join("; ", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
