namespace Watchdog.Actions;

/// <summary>
/// The action plug-ins this version ships, by name, with their parameter checks, so configuration is
/// validated before any plug-in is constructed. Each name is the plug-in's own <c>ActionName</c>, written once on
/// the plug-in; a test holds this table and the plug-ins the daemon registers to the same names.
/// </summary>
public static class BuiltInActions
{
    public static readonly IReadOnlyDictionary<string, Func<IReadOnlyDictionary<string, string>, IReadOnlyList<string>>> Validators =
        new Dictionary<string, Func<IReadOnlyDictionary<string, string>, IReadOnlyList<string>>>(StringComparer.Ordinal)
        {
            [WebhookAction.ActionName] = WebhookAction.ValidateParameters,
            [NotifyOnlyAction.ActionName] = _ => [],
            [Kubernetes.DeploymentUndoAction.ActionName] = Kubernetes.DeploymentUndoAction.ValidateParameters,
            [Kubernetes.ScaleAction.ActionName] = Kubernetes.ScaleAction.ValidateParameters,
            [Kubernetes.StopWritesAction.ActionName] = Kubernetes.StopWritesAction.ValidateParameters,
            [Kubernetes.RestoreReplicasAction.ActionName] = Kubernetes.RestoreReplicasAction.ValidateParameters,
            [Kubernetes.RolloutWaitAction.ActionName] = Kubernetes.RolloutWaitAction.ValidateParameters,
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
