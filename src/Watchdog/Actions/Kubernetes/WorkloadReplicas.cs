using System.Globalization;
using System.Text.Json.Nodes;
using Watchdog.Kubernetes;

namespace Watchdog.Actions.Kubernetes;

/// <summary>
/// What <c>scale</c>, <c>stop-writes</c> and <c>restore-replicas</c> share: the workload they name, the scale
/// subresource (as <c>kubectl scale</c> uses it), and the replica count before Watchdog first changed it, kept in an
/// annotation on the workload itself so that it survives a Watchdog restart and a second scale does not overwrite it.
/// </summary>
internal static class WorkloadReplicas
{
    public const string BeforeAnnotation = "watchdog.io/replicas-before";

    private static readonly string[] Kinds = ["deployment", "statefulset"];

    public static IReadOnlyList<string> ValidateTarget(IReadOnlyDictionary<string, string> parameters)
    {
        var errors = new List<string>();
        StepParameterChecks.RequireOneWorkload(parameters, Kinds, errors);
        StepParameterChecks.CheckNamespace(parameters, errors);
        return errors;
    }

    public static (string Path, string Display) Workload(IReadOnlyDictionary<string, string> parameters)
    {
        var ns = KubernetesNames.Namespace(parameters);
        return parameters.TryGetValue("statefulset", out var set)
            ? (KubernetesPaths.Namespaced("apps", "v1", ns, "statefulsets", set), $"statefulset/{ns}/{set}")
            : (KubernetesPaths.Deployment(ns, parameters["deployment"]), $"deployment/{ns}/{parameters["deployment"]}");
    }

    /// <summary>Scales to what <paramref name="desired"/> makes of the current count, remembering the count before the first change.</summary>
    public static Task<ActionResult> ScaleAsync(KubernetesConnection connection, ActionContext context, Func<int, int> desired, CancellationToken cancellationToken)
    {
        var (path, display) = Workload(context.Parameters);
        return ObjectChange.RunAsync(connection, context, Target(display, "scale"), async change =>
        {
            var read = await ReadAsync(change, path, cancellationToken);
            await context.Journal.SaveStateAsync(display, read.Raw, cancellationToken);
            var current = (await change.Client.GetScaleAsync(path, cancellationToken)).Spec.Replicas ?? 0;
            var target = Math.Max(0, desired(current));

            // Only the first change is remembered: a second scale must not make "before" the already-changed count.
            if (Annotation(read.Raw) is null)
            {
                await change.Client.SendAsync(HttpMethod.Patch, path, Remember(current), "application/merge-patch+json", cancellationToken);
            }

            await change.Client.PatchScaleAsync(path, target, cancellationToken);
            var summary = $"{display} scaled from {current} to {target} replicas";
            await change.PostEventAsync($"Watchdog {summary} (incident {context.Incident.Id}: {context.Incident.TriggerSummary})", warning: false, cancellationToken);
            return ActionResult.Success(summary) with
            {
                Before = $"{display} replicas {current}",
                After = $"{display} replicas {target}",
            };
        }, cancellationToken);
    }

    /// <summary>Scales back to the remembered count and forgets it.</summary>
    public static Task<ActionResult> RestoreAsync(KubernetesConnection connection, ActionContext context, CancellationToken cancellationToken)
    {
        var (path, display) = Workload(context.Parameters);
        return ObjectChange.RunAsync(connection, context, Target(display, "restore the replicas of"), async change =>
        {
            var read = await ReadAsync(change, path, cancellationToken);
            if (Annotation(read.Raw) is not { } before)
            {
                return await change.FailAsync($"{display}: nothing to restore (no {BeforeAnnotation} annotation: Watchdog did not scale it)", cancellationToken);
            }

            var current = (await change.Client.GetScaleAsync(path, cancellationToken)).Spec.Replicas ?? 0;
            await change.Client.PatchScaleAsync(path, before, cancellationToken);
            await change.Client.SendAsync(HttpMethod.Patch, path, Forget(), "application/merge-patch+json", cancellationToken);
            var summary = $"{display} restored from {current} to {before} replicas";
            await change.PostEventAsync($"Watchdog {summary} (incident {context.Incident.Id})", warning: false, cancellationToken);
            return ActionResult.Success(summary) with
            {
                Before = $"{display} replicas {current}",
                After = $"{display} replicas {before}",
            };
        }, cancellationToken);
    }

    // The failures keep the shape these actions always had: "deployment/NS/NAME: what went wrong".
    private static ChangeTarget Target(string display, string verb) =>
        new(display, verb, DeploymentUndoAction.EventReason, $"{display}: not found", $"{display}: failed to read");

    private static async Task<ObjectSnapshot> ReadAsync(ObjectChange change, string path, CancellationToken cancellationToken)
    {
        var kind = path.Contains("/statefulsets/", StringComparison.Ordinal) ? "StatefulSet" : "Deployment";
        var read = await ObjectSnapshot.GetAsync(change.Client, path, kind, "apps/v1", cancellationToken);
        change.Object = read.Typed;
        return read;
    }

    private static string Remember(int replicas) =>
        new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [BeforeAnnotation] = replicas.ToString(CultureInfo.InvariantCulture) } } }.ToJsonString();

    private static string Forget() =>
        new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [BeforeAnnotation] = null } } }.ToJsonString();

    private static int? Annotation(string raw) =>
        JsonNode.Parse(raw)?["metadata"]?["annotations"]?[BeforeAnnotation]?.GetValue<string>() is { } text
        && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
}
