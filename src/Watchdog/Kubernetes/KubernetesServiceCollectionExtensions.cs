using Microsoft.Extensions.DependencyInjection;
using Watchdog.Actions;
using Watchdog.Actions.Kubernetes;
using Watchdog.Configuration;

namespace Watchdog.Kubernetes;

public static class KubernetesServiceCollectionExtensions
{
    /// <summary>
    /// The Kubernetes connection (made on first use), the Kubernetes actions as <see cref="IRollbackAction"/>s, and the
    /// tracker that records known-good deployment revisions from the decisions.
    /// </summary>
    public static IServiceCollection AddKubernetes(this IServiceCollection services, WatchdogOptions options, KubernetesOptions? kubernetes = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        kubernetes ??= new KubernetesOptions();
        var configFolder = options.ConfigPath.Length > 0 ? Path.GetDirectoryName(Path.GetFullPath(options.ConfigPath)) ?? "." : ".";
        services.AddSingleton(provider =>
        {
            var time = provider.GetService<TimeProvider>() ?? TimeProvider.System;
            return new KubernetesConnection(() => new KubernetesClient(ResolveConfig(kubernetes, configFolder, Environment.GetEnvironmentVariable, time), time, kubernetes.Retry));
        });
        services.AddSingleton<IRollbackAction, DeploymentUndoAction>();
        services.AddSingleton<IRollbackAction, ScaleAction>();
        services.AddSingleton<IRollbackAction, StopWritesAction>();
        services.AddSingleton<IRollbackAction, RestoreReplicasAction>();
        services.AddSingleton<IRollbackAction, RolloutWaitAction>();
        services.AddSingleton<IRollbackAction, ConfigMapPatchAction>();
        services.AddSingleton<IRollbackAction, RolloutRestartAction>();
        services.AddSingleton<IRollbackAction, ServiceSelectorSwitchAction>();
        services.AddSingleton<IRollbackAction, VirtualServiceWeightsAction>();
        services.AddSingleton<IRollbackAction, StatefulSetUndoAction>();
        services.AddSingleton<IRollbackAction, DaemonSetUndoAction>();
        services.AddSingleton<KnownGoodTracker>();
        services.AddSingleton<IDecisionObserver>(provider => provider.GetRequiredService<KnownGoodTracker>());
        return services;
    }

    /// <summary>The precedence: explicit in-cluster, an explicit kubeconfig, in-cluster when in a pod, the default kubeconfig.</summary>
    public static KubernetesClientConfig ResolveConfig(KubernetesOptions kubernetes, string configFolder, Func<string, string?> environment, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(kubernetes);
        if (kubernetes.InCluster)
        {
            return InClusterConfigLoader.Load(environment, time);
        }

        if (kubernetes.Kubeconfig is { Length: > 0 } path)
        {
            return KubeconfigLoader.Load(Path.Combine(configFolder, path), kubernetes.Context, time);
        }

        return InClusterConfigLoader.IsInCluster(environment) && kubernetes.Context is null
            ? InClusterConfigLoader.Load(environment, time)
            : KubeconfigLoader.Load(KubeconfigLoader.DefaultPath(environment), kubernetes.Context, time);
    }
}
