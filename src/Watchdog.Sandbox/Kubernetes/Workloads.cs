using System.Globalization;
using System.Text.Json.Nodes;

namespace Watchdog.Sandbox.Kubernetes;

/// <summary>Small readers over workload JSON shared by the controllers.</summary>
internal static class Workloads
{
    public const string RevisionAnnotation = "deployment.kubernetes.io/revision";
    public const string RevisionHistoryAnnotation = "deployment.kubernetes.io/revision-history";
    public const string DesiredReplicasAnnotation = "deployment.kubernetes.io/desired-replicas";
    public const string MaxReplicasAnnotation = "deployment.kubernetes.io/max-replicas";

    /// <summary>Annotations the controller never copies from a Deployment to its ReplicaSets (and kubectl keeps on undo).</summary>
    public static readonly HashSet<string> AnnotationsToSkip = new(StringComparer.Ordinal)
    {
        "kubectl.kubernetes.io/last-applied-configuration", RevisionAnnotation, RevisionHistoryAnnotation,
        DesiredReplicasAnnotation, MaxReplicasAnnotation, "deprecated.deployment.rollback.to",
    };

    public static string Name(JsonObject obj) => obj["metadata"]?["name"]?.GetValue<string>() ?? "";

    public static string Namespace(JsonObject obj) => obj["metadata"]?["namespace"]?.GetValue<string>() ?? "default";

    public static string Uid(JsonObject obj) => obj["metadata"]?["uid"]?.GetValue<string>() ?? "";

    public static long Generation(JsonObject obj) => obj["metadata"]?["generation"]?.GetValue<long>() ?? 0;

    public static int Int(JsonNode? node) => node is JsonValue value && value.TryGetValue<int>(out var n) ? n : 0;

    public static JsonObject Annotations(JsonObject obj)
    {
        var metadata = ObjectStore.Metadata(obj);
        if (metadata["annotations"] is not JsonObject annotations)
        {
            annotations = [];
            metadata["annotations"] = annotations;
        }

        return annotations;
    }

    /// <summary>The revision annotation as kubectl reads it: missing is 0.</summary>
    public static long Revision(JsonObject rs) =>
        long.TryParse(rs["metadata"]?["annotations"]?[RevisionAnnotation]?.GetValue<string>(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;

    public static bool IsControlledBy(JsonObject child, JsonObject owner) =>
        (child["metadata"]?["ownerReferences"] as JsonArray ?? []).OfType<JsonObject>()
            .Any(r => r["controller"]?.GetValue<bool>() == true && r["uid"]?.GetValue<string>() == Uid(owner));

    public static JsonArray OwnerReference(JsonObject owner, string kind) =>
    [
        new JsonObject
        {
            ["apiVersion"] = "apps/v1", ["kind"] = kind, ["name"] = Name(owner), ["uid"] = Uid(owner),
            ["controller"] = true, ["blockOwnerDeletion"] = true,
        },
    ];

    /// <summary>An IntOrString like <c>25%</c> or <c>1</c> against a total; percentages round up or down as asked.</summary>
    public static int Resolve(JsonNode? value, int total, bool roundUp)
    {
        if (value is JsonValue v && v.TryGetValue<int>(out var n))
        {
            return n;
        }

        var text = value?.GetValue<string>() ?? "0";
        if (!text.EndsWith('%'))
        {
            return int.Parse(text, CultureInfo.InvariantCulture);
        }

        var scaled = int.Parse(text[..^1], CultureInfo.InvariantCulture) * total / 100.0;
        return (int)(roundUp ? Math.Ceiling(scaled) : Math.Floor(scaled));
    }

    /// <summary>Sets an int status field the way Go's omitempty writes it: zero vanishes.</summary>
    public static void SetCount(JsonObject status, string key, long value)
    {
        if (value == 0)
        {
            status.Remove(key);
        }
        else
        {
            status[key] = value;
        }
    }
}
