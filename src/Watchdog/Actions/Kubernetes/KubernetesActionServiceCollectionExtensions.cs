using Microsoft.Extensions.DependencyInjection;

namespace Watchdog.Actions.Kubernetes;

internal static class KubernetesActionServiceCollectionExtensions
{
    /// <summary>
    /// The workload actions, and the tracker that records known-good deployment revisions from the decisions. They
    /// need the <c>KubernetesConnection</c> that <c>AddKubernetes</c> registers.
    /// </summary>
    public static IServiceCollection AddKubernetesActions(this IServiceCollection services)
    {
        services.AddAction<DeploymentUndoAction>();
        services.AddAction<ScaleAction>();
        services.AddAction<StopWritesAction>();
        services.AddAction<RestoreReplicasAction>();
        services.AddAction<RolloutWaitAction>();
        services.AddAction<ConfigMapPatchAction>();
        services.AddAction<RolloutRestartAction>();
        services.AddAction<ServiceSelectorSwitchAction>();
        services.AddAction<VirtualServiceWeightsAction>();
        services.AddAction<StatefulSetUndoAction>();
        services.AddAction<DaemonSetUndoAction>();
        services.AddSingleton<KnownGoodTracker>();
        services.AddSingleton<IDecisionObserver>(provider => provider.GetRequiredService<KnownGoodTracker>());
        return services;
    }
}
