using System.Text.Json;
using Watchdog.Kubernetes;

using Watchdog.Plugins;

namespace Watchdog.Actions.Kubernetes;

/// <summary>
/// <c>configmap-patch</c>: the runbook's <c>kubectl patch configmap NAME --type merge -p '{"data": {...}}'</c>, plus
/// what Watchdog adds: the ConfigMap saved on the incident first, a resourceVersion precondition so a concurrent
/// change is a conflict instead of a silent overwrite, a skip when every key already has its value, and an Event on
/// the ConfigMap. It only ever addresses ConfigMaps: Secrets are never read, saved or changed.
/// </summary>
internal sealed class ConfigMapPatchAction(KubernetesConnection connection) : IRollbackAction, IPlugin
{
    public static string PluginName => "configmap-patch";
    public const string EventReason = "WatchdogConfigPatch";

    private const string NoSecrets = "Watchdog never reads, saves or changes Secrets; configmap-patch changes ConfigMaps only";

    public string Name => PluginName;

    // Setting the same values again is harmless, and a repeat after a crash finds them set and skips.
    public bool IsIdempotent => true;

    public IReadOnlyList<string> Validate(IReadOnlyDictionary<string, string> parameters) => ValidateParameters(parameters);

    public static IReadOnlyList<string> ValidateParameters(IReadOnlyDictionary<string, string> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var errors = new List<string>();
        var name = parameters.GetValueOrDefault("configmap");
        if (string.IsNullOrWhiteSpace(name))
        {
            errors.Add("configmap: required, the ConfigMap's name");
        }
        else if (name.StartsWith("secret/", StringComparison.OrdinalIgnoreCase) || name.StartsWith("secrets/", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"configmap: '{name}' names a Secret; {NoSecrets}");
        }
        else if (KubernetesNames.ObjectNameProblem(name) is { } problem)
        {
            errors.Add($"configmap: {problem}");
        }

        StepParameterChecks.CheckNamespace(parameters, errors);
        var patch = ConfigMapPatch.From(parameters);
        if (patch.Set.Count == 0)
        {
            errors.Add("data: required, one or more KEY: value pairs to set in the ConfigMap's data");
        }

        foreach (var key in patch.Set.Keys.Where(k => KubernetesNames.ConfigMapKeyProblem(k) is not null))
        {
            errors.Add($"data.{key}: {KubernetesNames.ConfigMapKeyProblem(key)}");
        }

        if (parameters.ContainsKey("remove"))
        {
            if (patch.Remove.Count == 0)
            {
                errors.Add("remove: empty (comma-separated keys to delete from the ConfigMap's data)");
            }

            foreach (var key in patch.Remove)
            {
                if (KubernetesNames.ConfigMapKeyProblem(key) is { } keyProblem)
                {
                    errors.Add($"remove: {keyProblem}");
                }
                else if (patch.Set.ContainsKey(key))
                {
                    errors.Add($"remove: '{key}' is also set under data");
                }
            }
        }

        foreach (var key in parameters.Keys.Where(k => k is not ("configmap" or "namespace" or "remove") && !k.StartsWith(ConfigMapPatch.DataPrefix, StringComparison.Ordinal)))
        {
            errors.Add(key switch
            {
                "secret" or "secrets" => $"{key}: {NoSecrets}",
                "kind" when parameters[key].StartsWith("secret", StringComparison.OrdinalIgnoreCase) => $"kind: {NoSecrets}",
                "data" => "data: expected a mapping of KEY: value pairs, not a single value",
                _ => $"{key}: unknown parameter (configmap, namespace, data, remove)",
            });
        }

        return errors;
    }

    public async Task<ActionResult> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var name = context.Parameters["configmap"];
        var ns = KubernetesNames.Namespace(context.Parameters);
        var display = $"configmap/{ns}/{name}";
        var target = new ChangeTarget(display, Verb: "patch", EventReason, NotFound: $"{display} not found", ReadFailed: $"failed to read {display}");
        var path = KubernetesPaths.Namespaced("", "v1", ns, "configmaps", name);
        return await ObjectChange.RunAsync(connection, context, target, change => PatchAsync(change, context, path, display, cancellationToken), cancellationToken);
    }

    private static async Task<ActionResult> PatchAsync(ObjectChange change, ActionContext context, string path, string display, CancellationToken cancellationToken)
    {
        var patch = ConfigMapPatch.From(context.Parameters);
        var raw = await change.Client.GetRawAsync(path, cancellationToken);
        var configMap = ObjectSnapshot.Parse(raw, KubernetesJsonContext.Default.ConfigMap);
        if (configMap.Kind is { } kind && kind != "ConfigMap")
        {
            // Never save what the path did not promise: it could be anything, a Secret included.
            return ActionResult.Failure($"{display}: the server answered with a {kind}, not a ConfigMap; nothing saved or changed");
        }

        configMap.Kind = "ConfigMap";
        configMap.ApiVersion ??= "v1";
        change.Object = configMap;
        var changes = patch.ChangesTo(configMap.Data);
        var keys = patch.Set.Keys.Concat(patch.Remove).ToList();
        if (changes.Count == 0)
        {
            var skipped = $"skipped (already has {(patch.Remove.Count == 0 ? "these values" : "these values and none of the removed keys")}): {display}";
            var posted = await change.PostEventAsync($"Watchdog left {display} unchanged: {string.Join(", ", keys)} already as asked (incident {context.Incident.Id})", warning: false, cancellationToken);
            var state = ConfigMapPatch.Describe(display, keys.Select(k => (k, configMap.Data?.GetValueOrDefault(k))));
            return ActionResult.Success(skipped) with { Before = state, After = state, Detail = DetailJson([], patched: false, posted) };
        }

        change.Before = ConfigMapPatch.Describe(display, changes.Select(c => (c.Key, c.Old)));
        if (configMap.Unmodelled?.GetValueOrDefault("immutable") is { ValueKind: JsonValueKind.True })
        {
            return await change.FailAsync($"{display} is immutable (immutable: true): its data cannot be changed, only the ConfigMap replaced", cancellationToken);
        }

        // The runbook's "backup current state": the ConfigMap exactly as the server sent it, before any change.
        await context.Journal.SaveStateAsync(display, raw, cancellationToken);
        try
        {
            await change.Client.SendAsync(HttpMethod.Patch, path + ObjectChange.FieldManagerQuery, patch.Body(configMap.Metadata.ResourceVersion), "application/merge-patch+json", preconditioned: true, cancellationToken);
        }
        catch (KubernetesStatusException ex) when (ex.Code == 409)
        {
            // A retried PATCH whose first attempt was applied (its answer lost) fails its own precondition: only
            // values other than the ones asked for are a real conflict.
            var now = ObjectSnapshot.Parse(await change.Client.GetRawAsync(path, cancellationToken), KubernetesJsonContext.Default.ConfigMap);
            if (patch.ChangesTo(now.Data).Count != 0)
            {
                return await change.FailAsync($"conflict: the ConfigMap changed since Watchdog read it; not patched ({display})", cancellationToken);
            }
        }

        var set = changes.Where(c => c.New is not null).Select(c => c.Key).ToList();
        var removed = changes.Where(c => c.New is null).Select(c => c.Key).ToList();
        var what = string.Join("; ", new[] { set.Count > 0 ? "set " + string.Join(", ", set) : "", removed.Count > 0 ? "removed " + string.Join(", ", removed) : "" }.Where(s => s.Length > 0));
        var summary = $"patched {display}: {what}";
        var eventPosted = await change.PostEventAsync($"Watchdog {summary} (incident {context.Incident.Id}: {context.Incident.TriggerSummary})", warning: false, cancellationToken);
        return ActionResult.Success(summary) with
        {
            Before = change.Before,
            After = ConfigMapPatch.Describe(display, changes.Select(c => (c.Key, c.New))),
            Detail = DetailJson(changes.Select(c => c.Key), patched: true, eventPosted),
        };
    }

    private static string DetailJson(IEnumerable<string> changed, bool patched, bool eventPosted) =>
        JsonSerializer.Serialize(new Dictionary<string, object?> { ["changed"] = changed.ToArray(), ["patched"] = patched, ["eventPosted"] = eventPosted });
}
