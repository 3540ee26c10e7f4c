using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Watchdog.Actions.Kubernetes;

/// <summary>
/// How an undo names what ran before and what runs after, for the incident and its messages: the containers'
/// images and the revision, <c>checkout:v2-bad (revision 3)</c>. A person paged at night knows a release by its
/// image tag, not by a revision number that an undo changes.
/// </summary>
internal static class WorkloadVersion
{
    /// <summary>The images of a pod template's containers, in order; init containers are not the release.</summary>
    public static IReadOnlyList<string> Images(JsonObject? podTemplate) =>
        podTemplate?["spec"]?["containers"] is JsonArray containers
            ? [.. containers.Select(c => c?["image"] is JsonValue image && image.TryGetValue<string>(out var text) ? text : null).OfType<string>()]
            : [];

    /// <summary>The images of the pod template in a ControllerRevision's <c>data</c> (<c>{"spec":{"template":...}}</c>).</summary>
    public static IReadOnlyList<string> Images(JsonElement? revisionData) =>
        revisionData is { ValueKind: JsonValueKind.Object } data && JsonNode.Parse(data.GetRawText())?["spec"]?["template"] is JsonObject template
            ? Images(template)
            : [];

    /// <summary><c>web:3.0 (revision 3)</c>; the resource instead of the images when the template names none.</summary>
    public static string Describe(string resource, IReadOnlyList<string> images, long? revision) =>
        images.Count == 0
            ? DeploymentUndoAction.Describe(resource, revision)
            : $"{string.Join(", ", images)} (revision {Text(revision)})";

    /// <summary>
    /// What an undo lands on: the controller gives the restored template a new revision, so the number a person
    /// will see in <c>kubectl rollout history</c> comes first: <c>web:1.0 (revision 4, was 1)</c>.
    /// </summary>
    public static string DescribeRestored(string resource, IReadOnlyList<string> images, long revision, long renumbered) =>
        renumbered == revision
            ? Describe(resource, images, revision)
            : images.Count == 0
                ? string.Create(CultureInfo.InvariantCulture, $"{resource} revision {renumbered} (was {revision})")
                : string.Create(CultureInfo.InvariantCulture, $"{string.Join(", ", images)} (revision {renumbered}, was {revision})");

    /// <summary>
    /// The revision the controller gives a template an undo restores: one more than the highest of the other
    /// revisions (getNewReplicaSet's maxOldRevision + 1; a ControllerRevision re-used is set to max + 1), or its own
    /// when that is already higher.
    /// </summary>
    public static long Renumbered(long revision, IEnumerable<long> otherRevisions)
    {
        var next = otherRevisions.DefaultIfEmpty(0).Max() + 1;
        return Math.Max(revision, next);
    }

    private static string Text(long? revision) => revision?.ToString(CultureInfo.InvariantCulture) ?? "unknown";
}
