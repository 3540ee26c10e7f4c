using Watchdog.Kubernetes;

namespace Watchdog.Actions.Kubernetes;

/// <summary>What the Kubernetes client throws for an expected outage.</summary>
internal static class KubernetesErrors
{
    /// <summary>A refusal (a Status), an unreachable or unusable server, or a kubeconfig that fails at first use.</summary>
    public static bool IsExpected(Exception ex) =>
        ex is KubernetesStatusException or KubernetesUnavailableException or KubernetesConfigException;
}
