using System.Text.Json.Nodes;
using static Watchdog.Sandbox.Kubernetes.Workloads;

namespace Watchdog.Sandbox.Kubernetes;

/// <summary>
/// The ControllerRevision history of spec §2, as the StatefulSet and DaemonSet controllers keep it: one revision per
/// pod template, named <c>OWNER-HASH</c>, labelled with the template's labels plus <c>controller-revision-hash</c>,
/// carrying the owner's annotations and <c>data</c> encoded as Go would (so kubectl's byte comparison can match);
/// a template seen before re-uses its old revision with <c>.revision</c> bumped to max+1; revisionHistoryLimit prunes.
/// </summary>
internal sealed class ControllerRevisionRecorder(ObjectStore store)
{
    public const string HashLabel = "controller-revision-hash";

    /// <summary>Finds or makes the revision of <paramref name="owner"/>'s current template, prunes the history, and returns that revision (null if the store refused it).</summary>
    public JsonObject? Record(JsonObject owner, string kind)
    {
        var ns = Namespace(owner);
        var owned = store.List(ResourceCatalog.ControllerRevisions, ns).Where(cr => IsControlledBy(cr, owner)).ToList();
        var data = RevisionData(owner);
        var maxRevision = owned.Select(RevisionOf).DefaultIfEmpty(0).Max();
        var current = owned.FirstOrDefault(cr => PodTemplate.Canonical(cr["data"]) == PodTemplate.Canonical(data));
        if (current is null)
        {
            var hash = PodTemplate.Hash(data);
            var labels = (owner["spec"]?["template"]?["metadata"]?["labels"] as JsonObject)?.DeepClone() as JsonObject ?? [];
            labels[HashLabel] = hash;
            var metadata = new JsonObject
            {
                ["name"] = $"{Name(owner)}-{hash}",
                ["labels"] = labels,
                ["ownerReferences"] = OwnerReference(owner, kind),
            };
            // Both controllers copy the owner's annotations (kubernetes.io/change-cause is how history shows a cause).
            if (owner["metadata"]?["annotations"] is JsonObject { Count: > 0 } annotations)
            {
                metadata["annotations"] = annotations.DeepClone();
            }

            current = store.Create(ResourceCatalog.ControllerRevisions, ns, new JsonObject
            {
                ["metadata"] = metadata,
                ["data"] = data,
                ["revision"] = maxRevision + 1,
            }).Object;
        }
        else if (RevisionOf(current) < maxRevision)
        {
            current["revision"] = maxRevision + 1;
            current = store.Update(ResourceCatalog.ControllerRevisions, ns, Name(current), current).Object;
        }

        if (current is null)
        {
            return null;
        }

        var limit = Int(owner["spec"]?["revisionHistoryLimit"]);
        foreach (var stale in owned.Where(cr => Name(cr) != Name(current)).OrderBy(RevisionOf).SkipLast(limit))
        {
            store.Delete(ResourceCatalog.ControllerRevisions, ns, Name(stale));
        }

        return current;
    }

    public static long RevisionOf(JsonObject revision) => revision["revision"]?.GetValue<long>() ?? 0;

    /// <summary>What kubectl compares byte for byte: <c>{"spec":{"template":{"$patch":"replace",…}}}</c>, keys sorted, compact.</summary>
    private static JsonObject RevisionData(JsonObject owner)
    {
        var template = (JsonObject)(owner["spec"]?["template"]?.DeepClone() ?? new JsonObject());
        var metadata = template["metadata"] as JsonObject ?? [];
        metadata["creationTimestamp"] = null;
        template["metadata"] = metadata;
        template["$patch"] = "replace";
        return (JsonObject)PodTemplate.Sorted(new JsonObject { ["spec"] = new JsonObject { ["template"] = template } })!;
    }
}
