using Watchdog.Kubernetes;

using Watchdog.Plugins;

namespace Watchdog.Actions.Kubernetes;

/// <summary>
/// <c>service-selector-switch</c>: the runbook's blue-green rollback, <c>kubectl patch service NAME -p
/// '{"spec":{"selector":{"version":"blue"}}}'</c>; plus what Watchdog adds: the Service saved on the incident first, an
/// optional check of what it selects now (<c>expect</c>), a refusal to switch to labels no Ready pod carries, a
/// compare-and-swap so a concurrent change is a conflict instead of a silent overwrite, the selector before the first
/// switch kept in an annotation on the Service, and an Event on it.
/// </summary>
internal sealed partial class ServiceSelectorSwitchAction(KubernetesConnection connection) : IRollbackAction, IPlugin
{
    public static string PluginName => "service-selector-switch";

    private static readonly string[] Known = ["service", "namespace", "selector", "expect", "require_ready_pods"];

    public string Name => PluginName;

    // Idempotent: setting labels the Service already selects is a skip that changes nothing, and the "before" annotation is
    // written only once, so a step resumed after a crash either finds the switch done or does it.
    public bool IsIdempotent => true;

    public IReadOnlyList<string> Validate(IReadOnlyDictionary<string, string> parameters) => ValidateParameters(parameters);

    public static IReadOnlyList<string> ValidateParameters(IReadOnlyDictionary<string, string> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var errors = new List<string>();
        StepParameterChecks.RequireName(parameters, "service", "Service", errors);
        StepParameterChecks.CheckNamespace(parameters, errors);

        if (!parameters.TryGetValue("selector", out var selector))
        {
            errors.Add("selector: required, the labels to switch back to as key=value[,key=value] (e.g. version=blue)");
        }
        else
        {
            SelectorLabels.Parse("selector", selector, errors);
        }

        if (parameters.TryGetValue("expect", out var expect))
        {
            SelectorLabels.Parse("expect", expect, errors);
        }

        if (parameters.TryGetValue("require_ready_pods", out var ready) && !bool.TryParse(ready, out _))
        {
            errors.Add($"require_ready_pods: '{ready}' is not true or false");
        }

        StepParameterChecks.RejectUnknown(parameters, Known, errors);

        return errors;
    }

    public async Task<ActionResult> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var parameters = context.Parameters;
        if (ValidateParameters(parameters) is { Count: > 0 } errors)
        {
            return ActionResult.Failure("invalid parameters: " + string.Join("; ", errors));
        }

        var wanted = SelectorLabels.Parse("selector", parameters["selector"], [])!;
        var expect = parameters.TryGetValue("expect", out var e) ? SelectorLabels.Parse("expect", e, []) : null;
        var name = parameters["service"];
        var ns = KubernetesNames.Namespace(parameters);
        var requireReadyPods = !parameters.TryGetValue("require_ready_pods", out var ready) || bool.Parse(ready);
        var target = new ChangeTarget($"service/{ns}/{name}", Verb: "switch", DeploymentUndoAction.EventReason, NotFound: $"service {ns}/{name} not found", ReadFailed: $"failed to retrieve Service {ns}/{name}");
        return await ObjectChange.RunAsync(connection, context, target, change => new Switch(change, context, name, ns).RunAsync(wanted, expect, requireReadyPods, cancellationToken), cancellationToken);
    }
}
