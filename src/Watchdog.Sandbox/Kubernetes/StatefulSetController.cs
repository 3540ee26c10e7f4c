using System.Text.Json.Nodes;
using static Watchdog.Sandbox.Kubernetes.Workloads;

namespace Watchdog.Sandbox.Kubernetes;

/// <summary>
/// The StatefulSet side of spec §2: a ControllerRevision per pod template (<c>NAME-HASH</c>, revision max+1), re-used
/// with its revision bumped when the template returns to an old one; status with current/update revision names.
/// </summary>
internal sealed class StatefulSetController(ObjectStore store)
{
    public void Sync(JsonObject sts)
    {
        var ns = Namespace(sts);
        var owned = store.List(ResourceCatalog.ControllerRevisions, ns).Where(cr => IsControlledBy(cr, sts)).ToList();
        var data = RevisionData(sts);
        var maxRevision = owned.Select(cr => cr["revision"]?.GetValue<long>() ?? 0).DefaultIfEmpty(0).Max();
        var match = owned.FirstOrDefault(cr => PodTemplate.Canonical(cr["data"]) == PodTemplate.Canonical(data));
        if (match is null)
        {
            var hash = PodTemplate.Hash(data);
            var labels = (sts["spec"]?["template"]?["metadata"]?["labels"] as JsonObject)?.DeepClone() as JsonObject ?? [];
            labels["controller-revision-hash"] = hash;
            match = store.Create(ResourceCatalog.ControllerRevisions, ns, new JsonObject
            {
                ["metadata"] = new JsonObject
                {
                    ["name"] = $"{Name(sts)}-{hash}",
                    ["labels"] = labels,
                    ["ownerReferences"] = OwnerReference(sts, "StatefulSet"),
                },
                ["data"] = data,
                ["revision"] = maxRevision + 1,
            }).Object;
        }
        else if ((match["revision"]?.GetValue<long>() ?? 0) < maxRevision)
        {
            match["revision"] = maxRevision + 1;
            match = store.Update(ResourceCatalog.ControllerRevisions, ns, Name(match), match).Object;
        }

        if (match is null)
        {
            return;
        }

        var replicas = Int(sts["spec"]?["replicas"]);
        var previous = sts["status"] as JsonObject ?? [];
        var status = new JsonObject { ["observedGeneration"] = Generation(sts), ["replicas"] = replicas };
        SetCount(status, "readyReplicas", replicas);
        SetCount(status, "currentReplicas", replicas);
        SetCount(status, "updatedReplicas", replicas);
        SetCount(status, "availableReplicas", replicas);
        SetCount(status, "replicas", replicas);
        status["currentRevision"] = Name(match);
        status["updateRevision"] = Name(match);
        status["collisionCount"] = 0;
        if (!JsonNode.DeepEquals(status, previous))
        {
            sts["status"] = status;
            store.Update(ResourceCatalog.StatefulSets, ns, Name(sts), sts, statusOnly: true);
        }

        var limit = Int(sts["spec"]?["revisionHistoryLimit"]);
        foreach (var stale in owned.Where(cr => Name(cr) != Name(match)).OrderBy(cr => cr["revision"]?.GetValue<long>() ?? 0).SkipLast(limit))
        {
            store.Delete(ResourceCatalog.ControllerRevisions, ns, Name(stale));
        }
    }

    /// <summary>What kubectl compares byte for byte: <c>{"spec":{"template":{"$patch":"replace",…}}}</c>, keys sorted, compact.</summary>
    private static JsonObject RevisionData(JsonObject sts)
    {
        var template = (JsonObject)(sts["spec"]?["template"]?.DeepClone() ?? new JsonObject());
        var metadata = template["metadata"] as JsonObject ?? [];
        metadata["creationTimestamp"] = null;
        template["metadata"] = metadata;
        template["$patch"] = "replace";
        return (JsonObject)PodTemplate.Sorted(new JsonObject { ["spec"] = new JsonObject { ["template"] = template } })!;
    }
}
