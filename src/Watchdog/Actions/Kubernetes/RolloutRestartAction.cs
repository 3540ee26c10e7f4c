using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Watchdog.Kubernetes;

using Watchdog.Plugins;

namespace Watchdog.Actions.Kubernetes;

/// <summary>
/// <c>rollout-restart</c>: what <c>kubectl rollout restart deployment|statefulset|daemonset/NAME</c> does (spec §3.3):
/// GET, refuse a paused deployment in kubectl's words, then a strategic merge patch of the pod template's
/// <c>kubectl.kubernetes.io/restartedAt</c> annotation, so the controller replaces every pod by its usual rolling
/// update and <c>kubectl rollout history</c> shows the usual thing. Watchdog adds the workload saved on the incident
/// first, a resourceVersion precondition, a skip for a restart already made in the same second, and an Event.
/// </summary>
internal sealed class RolloutRestartAction(KubernetesConnection connection) : IRollbackAction, IPlugin
{
    public static string PluginName => "rollout-restart";
    public const string EventReason = "WatchdogRestart";
    public const string RestartedAtAnnotation = "kubectl.kubernetes.io/restartedAt";

    private static readonly string[] Kinds = ["deployment", "statefulset", "daemonset"];

    public string Name => PluginName;

    // Not idempotent: every restart replaces every pod again, so a step interrupted mid-way is left for a person to
    // check rather than repeated. (Only a repeat within the same second is harmless: it finds its annotation and skips.)
    public bool IsIdempotent => false;

    public IReadOnlyList<string> Validate(IReadOnlyDictionary<string, string> parameters) => ValidateParameters(parameters);

    public static IReadOnlyList<string> ValidateParameters(IReadOnlyDictionary<string, string> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var errors = new List<string>();
        if (StepParameterChecks.RequireOneWorkload(parameters, Kinds, errors) is { } kind && KubernetesNames.ObjectNameProblem(parameters[kind]) is { } problem)
        {
            errors.Add($"{kind}: {problem}");
        }

        StepParameterChecks.CheckNamespace(parameters, errors);
        StepParameterChecks.RejectUnknown(parameters, [.. Kinds, "namespace"], errors);

        return errors;
    }

    public async Task<ActionResult> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var kind = Kinds.First(context.Parameters.ContainsKey);
        var name = context.Parameters[kind];
        var ns = KubernetesNames.Namespace(context.Parameters);
        var display = $"{kind}/{ns}/{name}";
        var target = new ChangeTarget(display, Verb: "restart", EventReason, NotFound: $"{display} not found", ReadFailed: $"failed to read {display}");
        var path = KubernetesPaths.Namespaced("apps", "v1", ns, kind + "s", name);
        return await ObjectChange.RunAsync(connection, context, target, change => new WorkloadRestart(change, context, path, kind, name, display).RunAsync(cancellationToken), cancellationToken);
    }

    /// <summary>kubectl's time format: RFC 3339 to the second (Go's time.RFC3339), here always in UTC.</summary>
    internal static string Timestamp(DateTimeOffset now) =>
        now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// kubectl's patch body, byte for byte, followed by <c>metadata.resourceVersion</c> as a precondition (kubectl sends
    /// none): the server answers 409 if the workload changed since it was read.
    /// </summary>
    internal static string PatchBody(string restartedAt, string? resourceVersion)
    {
        var body = new JsonObject
        {
            ["spec"] = new JsonObject { ["template"] = new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [RestartedAtAnnotation] = restartedAt } } } },
        };
        if (resourceVersion is not null)
        {
            body["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion };
        }

        return body.ToJsonString();
    }

    internal static string? RestartedAt(JsonNode? workload) =>
        workload?["spec"]?["template"]?["metadata"]?["annotations"]?[RestartedAtAnnotation]?.GetValue<string>();

    internal static string DetailJson(string restartedAt, string? previous, bool patched, bool eventPosted) =>
        JsonSerializer.Serialize(new Dictionary<string, object?> { ["restartedAt"] = restartedAt, ["previous"] = previous, ["patched"] = patched, ["eventPosted"] = eventPosted });
}
