using System.Text.Json.Nodes;

namespace Watchdog.Sandbox.Kubernetes;

/// <summary>
/// Strategic merge patch for the built-in types: maps merge per key, lists with a patch merge key (containers and env
/// by name, ports by port number, ownerReferences by uid) merge per element, other lists are replaced;
/// <c>$patch: replace|delete</c> directives apply to maps and list elements.
/// </summary>
internal static class StrategicMergePatch
{
    private static readonly Dictionary<string, string> MergeKeys = new(StringComparer.Ordinal)
    {
        ["containers"] = "name",
        ["initContainers"] = "name",
        ["ephemeralContainers"] = "name",
        ["env"] = "name",
        ["volumes"] = "name",
        ["volumeMounts"] = "mountPath",
        ["imagePullSecrets"] = "name",
        ["ownerReferences"] = "uid",
        ["conditions"] = "type",
        ["hostAliases"] = "ip",
    };

    public static JsonObject Apply(JsonObject target, JsonObject patch) => MergeObject(target, patch)!;

    private static JsonObject? MergeObject(JsonObject? target, JsonObject patch)
    {
        var directive = patch["$patch"]?.GetValue<string>();
        if (directive == "delete")
        {
            return null;
        }

        if (directive == "replace")
        {
            var replacement = new JsonObject();
            foreach (var (key, value) in patch)
            {
                if (!key.StartsWith('$'))
                {
                    replacement[key] = StripDirectives(value?.DeepClone());
                }
            }

            return replacement;
        }

        var result = target ?? new JsonObject();
        foreach (var (key, value) in patch)
        {
            // $setElementOrder, $retainKeys and $deleteFromPrimitiveList only refine ordering and pruning; kubectl's verbs here do not send them.
            if (key.StartsWith('$'))
            {
                continue;
            }

            if (value is null)
            {
                result.Remove(key);
                continue;
            }

            result.TryGetPropertyValue(key, out var existing);
            JsonNode? merged = value switch
            {
                JsonObject patchChild => MergeObject(existing as JsonObject, patchChild),
                JsonArray patchList when MergeKeyFor(key, patchList, existing as JsonArray) is { } mergeKey => MergeList(existing as JsonArray, patchList, mergeKey),
                _ => StripDirectives(value.DeepClone()),
            };
            if (merged is null)
            {
                result.Remove(key);
                continue;
            }

            if (!ReferenceEquals(merged, existing))
            {
                result.Remove(key);
                result[key] = merged;
            }
        }

        return result;
    }

    private static string? MergeKeyFor(string key, JsonArray patch, JsonArray? existing)
    {
        if (key == "ports")
        {
            // Container ports merge by containerPort, Service ports by port.
            var sample = patch.OfType<JsonObject>().Concat(existing?.OfType<JsonObject>() ?? []).FirstOrDefault();
            return sample is null ? null : sample.ContainsKey("containerPort") ? "containerPort" : "port";
        }

        return MergeKeys.GetValueOrDefault(key);
    }

    private static JsonArray MergeList(JsonArray? target, JsonArray patch, string mergeKey)
    {
        var result = target ?? [];
        foreach (var element in patch)
        {
            if (element is not JsonObject patchElement)
            {
                continue;
            }

            var key = patchElement[mergeKey];
            var index = -1;
            for (var i = 0; i < result.Count; i++)
            {
                if (result[i] is JsonObject candidate && JsonNode.DeepEquals(candidate[mergeKey], key))
                {
                    index = i;
                    break;
                }
            }

            if (patchElement["$patch"]?.GetValue<string>() == "delete")
            {
                if (index >= 0)
                {
                    result.RemoveAt(index);
                }

                continue;
            }

            if (index >= 0)
            {
                var merged = MergeObject((JsonObject)result[index]!, patchElement);
                if (!ReferenceEquals(merged, result[index]))
                {
                    result[index] = merged;
                }
            }
            else
            {
                result.Add(StripDirectives(patchElement.DeepClone()));
            }
        }

        return result;
    }

    private static JsonNode? StripDirectives(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).Where(k => k.StartsWith('$')).ToList())
                {
                    obj.Remove(key);
                }

                foreach (var (_, child) in obj)
                {
                    StripDirectives(child);
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    StripDirectives(child);
                }

                break;
        }

        return node;
    }
}
