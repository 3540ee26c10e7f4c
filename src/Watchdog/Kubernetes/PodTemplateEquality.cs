using System.Text.Json.Nodes;

namespace Watchdog.Kubernetes;

/// <summary>
/// kubectl's equalIgnoreHash: two pod templates are the same when they differ only in the
/// <c>pod-template-hash</c> label, with Go's semantic equality (an absent field equals its zero value, an empty
/// map or list equals none). Resource quantities are compared as written, not numerically ("1" differs from "1000m").
/// </summary>
internal static class PodTemplateEquality
{
    public const string HashLabel = "pod-template-hash";

    public static bool EqualIgnoringHash(JsonObject? a, JsonObject? b) =>
        JsonNode.DeepEquals(Normalize(WithoutHash(a)), Normalize(WithoutHash(b)));

    /// <summary>A copy of the template without the <c>pod-template-hash</c> label (other labels kept).</summary>
    public static JsonObject WithoutHash(JsonObject? template)
    {
        var copy = template?.DeepClone().AsObject() ?? [];
        if (copy["metadata"] is JsonObject metadata && metadata["labels"] is JsonObject labels)
        {
            labels.Remove(HashLabel);
        }

        return copy;
    }

    private static JsonNode? Normalize(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                var result = new JsonObject();
                foreach (var (key, value) in o.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (Normalize(value) is { } kept)
                    {
                        result[key] = kept;
                    }
                }

                return result.Count == 0 ? null : result;
            case JsonArray a:
                var items = new JsonArray();
                foreach (var item in a)
                {
                    items.Add(Normalize(item) ?? new JsonObject());
                }

                return items.Count == 0 ? null : items;
            case JsonValue v when IsZero(v):
                return null;
            default:
                return node?.DeepClone();
        }
    }

    private static bool IsZero(JsonValue value) => value.GetValueKind() switch
    {
        System.Text.Json.JsonValueKind.False => true,
        System.Text.Json.JsonValueKind.String => value.GetValue<string>().Length == 0,
        System.Text.Json.JsonValueKind.Number => value.ToJsonString() is "0" or "0.0",
        System.Text.Json.JsonValueKind.Null => true,
        _ => false,
    };
}
