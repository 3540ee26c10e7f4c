using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Watchdog.Sandbox.Kubernetes;

/// <summary>Pod template helpers the controllers and the API defaults share: hashing, comparison, defaulting, Go-like encoding.</summary>
internal static class PodTemplate
{
    public const string HashLabel = "pod-template-hash";

    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// The pod-template-hash: FNV-32a like the controller, but over canonical JSON since Go's spew dump cannot be reproduced;
    /// the decimal digits are mapped through the same alphabet as <c>rand.SafeEncodeString</c>.
    /// </summary>
    public static string Hash(JsonNode? template, long collisionCount = 0)
    {
        var bytes = Encoding.UTF8.GetBytes(Canonical(WithoutHashLabel(template)));
        var hash = 2166136261u;
        foreach (var b in bytes.Concat(collisionCount == 0 ? [] : BitConverter.GetBytes(collisionCount)))
        {
            hash ^= b;
            hash *= 16777619u;
        }

        return SafeEncode(hash.ToString(CultureInfo.InvariantCulture));
    }

    public static string SafeEncode(string text)
    {
        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        return new string(text.Select(c => alphabet[c % alphabet.Length]).ToArray());
    }

    /// <summary>Semantic equality ignoring the pod-template-hash label; absent and empty maps or lists count as equal.</summary>
    public static bool EqualIgnoringHash(JsonNode? a, JsonNode? b) =>
        Canonical(Prune(WithoutHashLabel(a))) == Canonical(Prune(WithoutHashLabel(b)));

    public static JsonNode? WithoutHashLabel(JsonNode? template)
    {
        var copy = template?.DeepClone();
        if (copy?["metadata"]?["labels"] is JsonObject labels)
        {
            labels.Remove(HashLabel);
        }

        return copy;
    }

    /// <summary>Keys sorted at every level, compact: how Go marshals a map.</summary>
    public static string Canonical(JsonNode? node) => Sorted(node)?.ToJsonString(Compact) ?? "null";

    public static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray array => new JsonArray(array.Select(Sorted).ToArray()),
        _ => node?.DeepClone(),
    };

    /// <summary>Applies the API server's pod defaults that matter for template comparison and for what kubectl re-sends.</summary>
    public static void ApplyDefaults(JsonObject template)
    {
        var spec = template["spec"] as JsonObject ?? [];
        template["spec"] ??= spec;
        foreach (var list in new[] { "containers", "initContainers" })
        {
            foreach (var container in (spec[list] as JsonArray ?? []).OfType<JsonObject>())
            {
                container["resources"] ??= new JsonObject();
                container["terminationMessagePath"] ??= "/dev/termination-log";
                container["terminationMessagePolicy"] ??= "File";
                var image = container["image"]?.GetValue<string>() ?? "";
                var lastSegment = image[(image.LastIndexOf('/') + 1)..];
                container["imagePullPolicy"] ??= !lastSegment.Contains(':', StringComparison.Ordinal) || image.EndsWith(":latest", StringComparison.Ordinal)
                    ? "Always"
                    : "IfNotPresent";
            }
        }

        spec["restartPolicy"] ??= "Always";
        spec["terminationGracePeriodSeconds"] ??= 30;
        spec["dnsPolicy"] ??= "ClusterFirst";
        spec["securityContext"] ??= new JsonObject();
        spec["schedulerName"] ??= "default-scheduler";
    }

    private static JsonNode? Prune(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    var child = Prune(obj[key]);
                    if (child is null || child is JsonObject { Count: 0 } || child is JsonArray { Count: 0 })
                    {
                        obj.Remove(key);
                    }
                }

                return obj;
            case JsonArray array:
                foreach (var child in array)
                {
                    Prune(child);
                }

                return array;
            default:
                return node;
        }
    }
}
