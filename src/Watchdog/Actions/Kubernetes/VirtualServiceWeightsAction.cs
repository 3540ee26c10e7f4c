using Watchdog.Kubernetes;

using Watchdog.Plugins;

namespace Watchdog.Actions.Kubernetes;

/// <summary>
/// <c>virtualservice-weights</c>: the runbook's canary rollback, all traffic of an Istio VirtualService's http routes to
/// the stable destination (weight 100, every other destination 0), as one JSON Patch (custom resources refuse strategic
/// merge, and a merge patch would have to resend every route) that fails on a concurrent change; plus the object saved on
/// the incident first and an Event on it.
/// </summary>
internal sealed partial class VirtualServiceWeightsAction(KubernetesConnection connection) : IRollbackAction, IPlugin
{
    public static string PluginName => "virtualservice-weights";
    public const string DefaultApiVersion = "networking.istio.io/v1beta1";

    private static readonly string[] Known = ["virtualservice", "namespace", "stable_subset", "stable_host", "route", "api_version"];
    private static readonly string[] ApiVersions = ["networking.istio.io/v1alpha3", DefaultApiVersion, "networking.istio.io/v1"];

    public string Name => PluginName;

    // Idempotent: weights already at 100/0 are a skip that changes nothing, so a step resumed after a crash either finds
    // the reset done or does it.
    public bool IsIdempotent => true;

    public IReadOnlyList<string> Validate(IReadOnlyDictionary<string, string> parameters) => ValidateParameters(parameters);

    public static IReadOnlyList<string> ValidateParameters(IReadOnlyDictionary<string, string> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var errors = new List<string>();
        StepParameterChecks.RequireName(parameters, "virtualservice", "VirtualService", errors);
        StepParameterChecks.CheckNamespace(parameters, errors);
        foreach (var key in Known.Where(k => k is not ("virtualservice" or "namespace") && parameters.TryGetValue(k, out var v) && string.IsNullOrWhiteSpace(v)))
        {
            errors.Add($"{key}: empty");
        }

        if (parameters.ContainsKey("stable_subset") == parameters.ContainsKey("stable_host"))
        {
            errors.Add("name the destination that gets all traffic with exactly one of stable_subset: SUBSET or stable_host: HOST");
        }

        if (parameters.TryGetValue("api_version", out var apiVersion) && !string.IsNullOrWhiteSpace(apiVersion) && !ApiVersions.Contains(apiVersion))
        {
            errors.Add($"api_version: '{apiVersion}' is not one of {string.Join(", ", ApiVersions)}");
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

        var name = parameters["virtualservice"];
        var ns = KubernetesNames.Namespace(parameters);
        var stable = parameters.TryGetValue("stable_subset", out var subset) ? StableDestination.Subset(subset) : StableDestination.Host(parameters["stable_host"]);
        var apiVersion = parameters.GetValueOrDefault("api_version") ?? DefaultApiVersion;
        var target = new ChangeTarget($"virtualservice/{ns}/{name}", Verb: "reset the weights of", DeploymentUndoAction.EventReason, NotFound: $"virtualservice {ns}/{name} not found", ReadFailed: $"failed to retrieve VirtualService {ns}/{name}");
        return await ObjectChange.RunAsync(connection, context, target, change => new Reset(change, context, name, ns, apiVersion).RunAsync(stable, parameters.GetValueOrDefault("route"), cancellationToken), cancellationToken);
    }
}
