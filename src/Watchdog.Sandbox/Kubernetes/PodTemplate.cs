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

    // The API server decodes into Go structs and encodes them again, so stored objects come back in struct field
    // order whatever order a client sent; kubectl re-sends what it reads, so the order shows in its patches.
    private static readonly string[] MetadataOrder =
        ["name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp",
         "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences", "finalizers", "managedFields"];

    private static readonly string[] PodSpecOrder =
        ["volumes", "initContainers", "containers", "ephemeralContainers", "restartPolicy", "terminationGracePeriodSeconds",
         "activeDeadlineSeconds", "dnsPolicy", "nodeSelector", "serviceAccountName", "serviceAccount", "automountServiceAccountToken",
         "nodeName", "hostNetwork", "hostPID", "hostIPC", "shareProcessNamespace", "securityContext", "imagePullSecrets", "hostname",
         "subdomain", "affinity", "schedulerName", "tolerations", "hostAliases", "priorityClassName", "priority", "dnsConfig",
         "readinessGates", "runtimeClassName", "enableServiceLinks", "preemptionPolicy", "overhead", "topologySpreadConstraints",
         "setHostnameAsFQDN", "os", "hostUsers", "schedulingGates", "resourceClaims"];

    private static readonly string[] ContainerOrder =
        ["name", "image", "command", "args", "workingDir", "ports", "envFrom", "env", "resources", "resizePolicy", "restartPolicy",
         "volumeMounts", "volumeDevices", "livenessProbe", "readinessProbe", "startupProbe", "lifecycle", "terminationMessagePath",
         "terminationMessagePolicy", "imagePullPolicy", "securityContext", "stdin", "stdinOnce", "tty"];

    /// <summary>Applies the API server's pod defaults that matter for template comparison and for what kubectl re-sends.</summary>
    public static void ApplyDefaults(JsonObject template)
    {
        // A zero creationTimestamp is encoded as null by the API server, so every stored template carries it.
        var metadata = template["metadata"] as JsonObject ?? [];
        template["metadata"] ??= metadata;
        if (!metadata.ContainsKey("creationTimestamp"))
        {
            metadata["creationTimestamp"] = null;
        }

        Reorder(metadata, MetadataOrder);
        var spec = template["spec"] as JsonObject ?? [];
        template["spec"] ??= spec;
        Reorder(template, ["metadata", "spec"]);
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
        foreach (var list in new[] { "containers", "initContainers" })
        {
            foreach (var container in (spec[list] as JsonArray ?? []).OfType<JsonObject>())
            {
                Reorder(container, ContainerOrder);
            }
        }

        Reorder(spec, PodSpecOrder);
    }

    // Known keys in the given order, then any others in the order they came.
    private static void Reorder(JsonObject obj, string[] order)
    {
        var entries = obj.ToList();
        obj.Clear();
        foreach (var (key, value) in entries.OrderBy(e => Array.IndexOf(order, e.Key) is var i && i >= 0 ? i : order.Length))
        {
            obj[key] = value;
        }
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
