using Watchdog.Kubernetes;

using Watchdog.Plugins;

namespace Watchdog.Actions.Kubernetes;

/// <summary>
/// <c>stop-writes</c>: the runbook's "IMMEDIATE: Stop all writes" (<c>kubectl scale --replicas=0</c>), remembering the
/// replica count so <c>restore-replicas</c> starts the application again. Idempotent: scaling to 0 twice is scaling
/// to 0, and the remembered count is the one from before the first change.
/// </summary>
internal sealed class StopWritesAction(KubernetesConnection connection) : IRollbackAction, IPlugin
{
    public static string PluginName => "stop-writes";

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
        return WorkloadReplicas.ScaleAsync(connection, context, _ => 0, cancellationToken);
    }
}
