using Watchdog.Kubernetes;

using Watchdog.Plugins;

namespace Watchdog.Actions.Kubernetes;

/// <summary>
/// <c>restore-replicas</c>: the runbook's "Start application" / "Scale back up": back to the count Watchdog
/// remembered before it first scaled the workload. Idempotent: once restored, there is nothing left to restore,
/// which a repeat reports as a failure rather than guessing a count.
/// </summary>
internal sealed class RestoreReplicasAction(KubernetesConnection connection) : IRollbackAction, IPlugin
{
    public static string PluginName => "restore-replicas";

    public string Name => PluginName;

    public bool IsIdempotent => true;

    public IReadOnlyList<string> Validate(IReadOnlyDictionary<string, string> parameters) => ValidateParameters(parameters);

    public static IReadOnlyList<string> ValidateParameters(IReadOnlyDictionary<string, string> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return WorkloadReplicas.ValidateTarget(parameters);
    }

    public Task<ActionResult> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return WorkloadReplicas.RestoreAsync(connection, context, cancellationToken);
    }
}
