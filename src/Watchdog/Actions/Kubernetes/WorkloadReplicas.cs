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
    public static async Task<ActionResult> ScaleAsync(KubernetesConnection connection, ActionContext context, Func<int, int> desired, CancellationToken cancellationToken)
    {
        var (path, display) = Workload(context.Parameters);
        return await KubernetesErrors.ReportAsync(connection, display, async client =>
        {
            var raw = await client.GetRawAsync(path, cancellationToken);
            await context.Journal.SaveStateAsync(display, raw, cancellationToken);
            var current = (await client.GetScaleAsync(path, cancellationToken)).Spec.Replicas ?? 0;
            var target = Math.Max(0, desired(current));

            // Only the first change is remembered: a second scale must not make "before" the already-changed count.
            if (Annotation(raw) is null)
            {
                await client.SendAsync(HttpMethod.Patch, path, Remember(current), "application/merge-patch+json", cancellationToken);
            }

            await client.PatchScaleAsync(path, target, cancellationToken);
            return ActionResult.Success($"{display} scaled from {current} to {target} replicas") with
            {
                Before = $"{display} replicas {current}",
                After = $"{display} replicas {target}",
            };
        });
    }

    /// <summary>Scales back to the remembered count and forgets it.</summary>
    public static async Task<ActionResult> RestoreAsync(KubernetesConnection connection, ActionContext context, CancellationToken cancellationToken)
    {
        var (path, display) = Workload(context.Parameters);
        return await KubernetesErrors.ReportAsync(connection, display, async client =>
        {
            var raw = await client.GetRawAsync(path, cancellationToken);
            if (Annotation(raw) is not { } before)
            {
                return ActionResult.Failure($"{display}: nothing to restore (no {BeforeAnnotation} annotation: Watchdog did not scale it)");
            }

            var current = (await client.GetScaleAsync(path, cancellationToken)).Spec.Replicas ?? 0;
            await client.PatchScaleAsync(path, before, cancellationToken);
            await client.SendAsync(HttpMethod.Patch, path, Forget(), "application/merge-patch+json", cancellationToken);
            return ActionResult.Success($"{display} restored from {current} to {before} replicas") with
            {
                Before = $"{display} replicas {current}",
                After = $"{display} replicas {before}",
            };
        });
    }

    private static string Remember(int replicas) =>
        new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [BeforeAnnotation] = replicas.ToString(CultureInfo.InvariantCulture) } } }.ToJsonString();

    private static string Forget() =>
        new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [BeforeAnnotation] = null } } }.ToJsonString();

    private static int? Annotation(string raw) =>
        JsonNode.Parse(raw)?["metadata"]?["annotations"]?[BeforeAnnotation]?.GetValue<string>() is { } text
        && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
}
