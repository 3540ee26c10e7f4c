using System.Globalization;
using System.Text.Json.Nodes;

namespace Watchdog.Sandbox.Kubernetes;

/// <summary>The registry strategy of the workload types: apps/v1 defaults and the validation worth simulating.</summary>
internal static class WorkloadRules
{
    public static void ApplyDefaults(ResourceType type, JsonObject obj)
    {
        if (type != ResourceCatalog.Deployments && type != ResourceCatalog.StatefulSets && type != ResourceCatalog.ReplicaSets && type != ResourceCatalog.DaemonSets)
        {
            return;
        }

        var spec = obj["spec"] as JsonObject ?? [];
        obj["spec"] ??= spec;
        if (spec["template"] is JsonObject template)
        {
            PodTemplate.ApplyDefaults(template);
        }

        if (type == ResourceCatalog.DaemonSets)
        {
            spec["updateStrategy"] ??= new JsonObject { ["type"] = "RollingUpdate", ["rollingUpdate"] = new JsonObject { ["maxUnavailable"] = 1, ["maxSurge"] = 0 } };
            spec["revisionHistoryLimit"] ??= 10;
            return;
        }

        spec["replicas"] ??= 1;
        if (type == ResourceCatalog.Deployments)
        {
            spec["revisionHistoryLimit"] ??= 10;
            spec["progressDeadlineSeconds"] ??= 600;
            var strategy = spec["strategy"] as JsonObject ?? [];
            spec["strategy"] ??= strategy;
            strategy["type"] ??= "RollingUpdate";
            if (strategy["type"]?.GetValue<string>() == "RollingUpdate")
            {
                var rolling = strategy["rollingUpdate"] as JsonObject ?? [];
                strategy["rollingUpdate"] ??= rolling;
                rolling["maxUnavailable"] ??= "25%";
                rolling["maxSurge"] ??= "25%";
            }
        }
        else if (type == ResourceCatalog.StatefulSets)
        {
            spec["revisionHistoryLimit"] ??= 10;
            spec["podManagementPolicy"] ??= "OrderedReady";
            spec["updateStrategy"] ??= new JsonObject { ["type"] = "RollingUpdate", ["rollingUpdate"] = new JsonObject { ["partition"] = 0 } };
        }
    }

    /// <summary>
    /// apps/v1 shows a DaemonSet's (otherwise internal) template generation as this annotation: 1 on create, one more
    /// for each change of the template; the DaemonSet controller copies it onto its ControllerRevisions.
    /// </summary>
    public const string TemplateGenerationAnnotation = "deprecated.daemonset.template.generation";

    public static void TrackTemplateGeneration(ResourceType type, JsonObject obj, JsonObject? stored)
    {
        if (type != ResourceCatalog.DaemonSets)
        {
            return;
        }

        var generation = 1L;
        if (stored is not null)
        {
            var storedText = stored["metadata"]?["annotations"]?[TemplateGenerationAnnotation]?.GetValue<string>();
            generation = long.TryParse(storedText, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 1;
            if (!JsonNode.DeepEquals(obj["spec"]?["template"], stored["spec"]?["template"]))
            {
                generation++;
            }
        }

        Workloads.Annotations(obj)[TemplateGenerationAnnotation] = generation.ToString(CultureInfo.InvariantCulture);
    }

    public static ApiStatus? Validate(ResourceType type, string name, JsonObject obj, JsonObject? stored)
    {
        if (type != ResourceCatalog.Deployments && type != ResourceCatalog.StatefulSets && type != ResourceCatalog.ReplicaSets && type != ResourceCatalog.DaemonSets)
        {
            return null;
        }

        var causes = new List<(string, string)>();
        var selector = obj["spec"]?["selector"] as JsonObject;
        var labels = obj["spec"]?["template"]?["metadata"]?["labels"] as JsonObject;
        if (selector is null)
        {
            causes.Add(("spec.selector", "Required value"));
        }
        else if (!LabelSelector.Parse(LabelSelector.Format(selector)).Matches(labels))
        {
            causes.Add(("spec.template.metadata.labels", $"Invalid value: {labels?.ToJsonString() ?? "null"}: `selector` does not match template `labels`"));
        }

        if (stored is not null && !JsonNode.DeepEquals(stored["spec"]?["selector"], selector))
        {
            causes.Add(("spec.selector", $"Invalid value: {selector?.ToJsonString() ?? "null"}: field is immutable"));
        }

        if (obj["spec"]?["replicas"] is JsonValue replicas && replicas.TryGetValue<long>(out var count) && count < 0)
        {
            causes.Add(("spec.replicas", $"Invalid value: {count}: must be greater than or equal to 0"));
        }

        return causes.Count == 0 ? null : ApiStatus.Invalid(type, name, causes);
    }
}
