namespace Watchdog.Actions;

/// <summary>
/// The action plug-ins this version ships, by name, with their parameter checks, so configuration is
/// validated before any plug-in is constructed.
/// </summary>
public static class BuiltInActions
{
    public static readonly IReadOnlyDictionary<string, Func<IReadOnlyDictionary<string, string>, IReadOnlyList<string>>> Validators =
        new Dictionary<string, Func<IReadOnlyDictionary<string, string>, IReadOnlyList<string>>>(StringComparer.Ordinal)
        {
            ["webhook"] = WebhookAction.ValidateParameters,
            ["notify-only"] = _ => [],
            [Kubernetes.DeploymentUndoAction.ActionName] = Kubernetes.DeploymentUndoAction.ValidateParameters,
            ["scale"] = Kubernetes.ScaleAction.ValidateParameters,
            ["stop-writes"] = Kubernetes.StopWritesAction.ValidateParameters,
            ["restore-replicas"] = Kubernetes.RestoreReplicasAction.ValidateParameters,
            ["rollout-wait"] = Kubernetes.RolloutWaitAction.ValidateParameters,
            [Kubernetes.ConfigMapPatchAction.ActionName] = Kubernetes.ConfigMapPatchAction.ValidateParameters,
            [Kubernetes.RolloutRestartAction.ActionName] = Kubernetes.RolloutRestartAction.ValidateParameters,
            [Kubernetes.ServiceSelectorSwitchAction.ActionName] = Kubernetes.ServiceSelectorSwitchAction.ValidateParameters,
            [Kubernetes.VirtualServiceWeightsAction.ActionName] = Kubernetes.VirtualServiceWeightsAction.ValidateParameters,
            [Kubernetes.StatefulSetUndoAction.ActionName] = Kubernetes.StatefulSetUndoAction.ValidateParameters,
            [Kubernetes.DaemonSetUndoAction.ActionName] = Kubernetes.DaemonSetUndoAction.ValidateParameters,
        };

    /// <summary>Actions that later versions add (Kubernetes workloads, feature flags); plans may name them already.</summary>
    public static readonly IReadOnlySet<string> NotYetAvailable = new HashSet<string>(StringComparer.Ordinal)
    {
        "flag-reduce", "flag-disable",
    };
}
