using System.Text.Json.Nodes;

namespace Watchdog.Sandbox.Kubernetes;

/// <summary>RFC 7386 JSON Merge Patch: objects merge recursively, null deletes, arrays are replaced whole.</summary>
internal static class MergePatch
{
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target as JsonObject ?? new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(key);
                continue;
            }

            var merged = Apply(result.TryGetPropertyValue(key, out var existing) ? existing : null, value);
            if (existing is not null && ReferenceEquals(merged, existing))
            {
                continue;
            }

            result.Remove(key);
            result[key] = merged;
        }

        return result;
    }
}
