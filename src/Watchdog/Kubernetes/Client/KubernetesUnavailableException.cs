namespace Watchdog.Kubernetes;

/// <summary>The API server could not be reached or did not answer in time, after the retries.</summary>
internal sealed class KubernetesUnavailableException(string message, Exception? inner)
    : Exception(message, inner);
