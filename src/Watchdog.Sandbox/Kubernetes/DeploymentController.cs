using System.Globalization;
using System.Text.Json.Nodes;
using static Watchdog.Sandbox.Kubernetes.Workloads;

namespace Watchdog.Sandbox.Kubernetes;

/// <summary>
/// The deployment controller of spec §4, one rolling-update action per sync: a ReplicaSet per pod template
/// (<c>NAME-HASH</c>, revision max+1), reuse of an old one on rollback (revision bumped, revision-history kept),
/// scaling within maxSurge/maxUnavailable, revisionHistoryLimit cleanup, status and conditions.
/// </summary>
internal sealed partial class DeploymentController(ObjectStore store, TimeProvider time)
{
    public void Sync(JsonObject deployment)
    {
        var ns = Namespace(deployment);
        var name = Name(deployment);
        var owned = OwnedReplicaSets(deployment);
        var paused = deployment["spec"]?["paused"]?.GetValue<bool>() == true;
        if (paused)
        {
            ScalePaused(deployment, owned);
        }
        else
        {
            var newRs = FindOrCreateNewReplicaSet(deployment, owned);
            if (newRs is null)
            {
                return;
            }

            deployment = store.Get(ResourceCatalog.Deployments, ns, name) ?? deployment;
            owned = OwnedReplicaSets(deployment);
            var scaled = Rollout(deployment, owned, Name(newRs));
            if (!scaled && IsComplete(deployment))
            {
                Cleanup(deployment, OwnedReplicaSets(deployment), Name(newRs));
            }
        }

        deployment = store.Get(ResourceCatalog.Deployments, ns, name) ?? deployment;
        UpdateStatus(deployment, OwnedReplicaSets(deployment), paused);
    }

    /// <summary>A paused deployment is not rolled, but a lone active ReplicaSet still follows spec.replicas (the controller's sync/scale).</summary>
    private void ScalePaused(JsonObject deployment, List<JsonObject> owned)
    {
        var active = owned.Where(rs => Int(rs["spec"]?["replicas"]) > 0).ToList();
        var target = active.Count == 1 ? active[0] : active.Count == 0 ? FindNew(deployment, owned) : null;
        var replicas = Int(deployment["spec"]?["replicas"]);
        if (target is not null && Int(target["spec"]?["replicas"]) != replicas)
        {
            Scale(target, replicas, replicas, Limits(deployment).Surge);
        }
    }

    private List<JsonObject> OwnedReplicaSets(JsonObject deployment) =>
        store.List(ResourceCatalog.ReplicaSets, Namespace(deployment)).Where(rs => IsControlledBy(rs, deployment)).ToList();

    private static JsonObject? FindNew(JsonObject deployment, List<JsonObject> owned) =>
        owned.Where(rs => PodTemplate.EqualIgnoringHash(rs["spec"]?["template"], deployment["spec"]?["template"]))
            .OrderBy(rs => rs["metadata"]?["creationTimestamp"]?.GetValue<string>(), StringComparer.Ordinal)
            .ThenBy(Name, StringComparer.Ordinal)
            .FirstOrDefault();

    private JsonObject? FindOrCreateNewReplicaSet(JsonObject deployment, List<JsonObject> owned)
    {
        var ns = Namespace(deployment);
        var existing = FindNew(deployment, owned);
        var maxOld = owned.Where(rs => existing is null || Name(rs) != Name(existing)).Select(Revision).DefaultIfEmpty(0).Max();
        var newRevision = (maxOld + 1).ToString(CultureInfo.InvariantCulture);
        var replicas = Int(deployment["spec"]?["replicas"]);
        var (surge, _) = Limits(deployment);
        if (existing is not null)
        {
            var annotations = Annotations(existing);
            var changed = CopyDeploymentAnnotations(deployment, annotations);
            if (Revision(existing) < maxOld + 1)
            {
                var old = annotations[RevisionAnnotation]?.GetValue<string>();
                if (old is not null)
                {
                    var history = annotations[RevisionHistoryAnnotation]?.GetValue<string>();
                    annotations[RevisionHistoryAnnotation] = string.IsNullOrEmpty(history) ? old : $"{history},{old}";
                }

                annotations[RevisionAnnotation] = newRevision;
                changed = true;
            }

            if (changed)
            {
                existing = store.Update(ResourceCatalog.ReplicaSets, ns, Name(existing), existing).Object ?? existing;
            }

            SetDeploymentRevision(deployment, existing["metadata"]!["annotations"]![RevisionAnnotation]!.GetValue<string>(),
                ("FoundNewReplicaSet", $"Found new replica set \"{Name(existing)}\""), onlyIfNoCondition: true);
            return existing;
        }

        var template = (JsonObject)deployment["spec"]!["template"]!.DeepClone();
        var collisions = deployment["status"]?["collisionCount"]?.GetValue<long>() ?? 0;
        var hash = PodTemplate.Hash(template, collisions);
        var labels = template["metadata"]?["labels"] as JsonObject ?? [];
        labels[PodTemplate.HashLabel] = hash;
        var selector = (JsonObject)deployment["spec"]!["selector"]!.DeepClone();
        var matchLabels = selector["matchLabels"] as JsonObject ?? [];
        selector["matchLabels"] ??= matchLabels;
        matchLabels[PodTemplate.HashLabel] = hash;
        var rsAnnotations = new JsonObject();
        CopyDeploymentAnnotations(deployment, rsAnnotations);
        rsAnnotations[RevisionAnnotation] = newRevision;
        rsAnnotations[DesiredReplicasAnnotation] = replicas.ToString(CultureInfo.InvariantCulture);
        rsAnnotations[MaxReplicasAnnotation] = (replicas + surge).ToString(CultureInfo.InvariantCulture);
        var currentTotal = owned.Sum(rs => Int(rs["spec"]?["replicas"]));
        var initial = deployment["spec"]?["strategy"]?["type"]?.GetValue<string>() == "Recreate"
            ? replicas
            : Math.Max(0, Math.Min(replicas + surge - currentTotal, replicas));
        var rs = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = $"{Name(deployment)}-{hash}",
                ["labels"] = labels.DeepClone(),
                ["annotations"] = rsAnnotations,
                ["ownerReferences"] = OwnerReference(deployment, "Deployment"),
            },
            ["spec"] = new JsonObject
            {
                ["replicas"] = initial,
                ["minReadySeconds"] = deployment["spec"]?["minReadySeconds"]?.DeepClone() ?? 0,
                ["selector"] = selector,
                ["template"] = template,
            },
        };
        var created = store.Create(ResourceCatalog.ReplicaSets, ns, rs);
        if (created.Object is null)
        {
            // A name taken by a ReplicaSet with another template is a hash collision: the controller counts it and retries.
            var status = deployment["status"] as JsonObject ?? [];
            status["collisionCount"] = collisions + 1;
            deployment["status"] = status;
            store.Update(ResourceCatalog.Deployments, ns, Name(deployment), deployment, statusOnly: true);
            return null;
        }

        SetDeploymentRevision(deployment, newRevision, ("NewReplicaSetCreated", $"Created new replica set \"{Name(created.Object)}\""), onlyIfNoCondition: false);
        return created.Object;
    }

    private static bool CopyDeploymentAnnotations(JsonObject deployment, JsonObject target)
    {
        var changed = false;
        foreach (var (key, value) in deployment["metadata"]?["annotations"] as JsonObject ?? [])
        {
            if (!AnnotationsToSkip.Contains(key) && !JsonNode.DeepEquals(target[key], value))
            {
                target[key] = value?.DeepClone();
                changed = true;
            }
        }

        return changed;
    }

    private void SetDeploymentRevision(JsonObject deployment, string revision, (string Reason, string Message) progressing, bool onlyIfNoCondition)
    {
        var ns = Namespace(deployment);
        var current = store.Get(ResourceCatalog.Deployments, ns, Name(deployment));
        if (current is null)
        {
            return;
        }

        if (Annotations(current)[RevisionAnnotation]?.GetValue<string>() != revision)
        {
            Annotations(current)[RevisionAnnotation] = revision;
            current = store.Update(ResourceCatalog.Deployments, ns, Name(current), current).Object ?? current;
        }

        var status = current["status"] as JsonObject ?? [];
        var conditions = new DeploymentConditions(status, time.GetUtcNow());
        if (HasProgressDeadline(current) && (!onlyIfNoCondition || conditions.Progressing is null))
        {
            conditions.Set("Progressing", "True", progressing.Reason, progressing.Message, bumpUpdate: true);
            current["status"] = status;
            store.Update(ResourceCatalog.Deployments, ns, Name(current), current, statusOnly: true);
        }
    }

    private void Cleanup(JsonObject deployment, List<JsonObject> owned, string newName)
    {
        if (deployment["spec"]?["revisionHistoryLimit"] is not JsonValue limitValue || !limitValue.TryGetValue<int>(out var limit) || limit == int.MaxValue)
        {
            return;
        }

        var olds = owned.Where(rs => Name(rs) != newName).ToList();
        var diff = olds.Count - limit;
        foreach (var old in olds.OrderBy(Revision).ThenBy(rs => rs["metadata"]?["creationTimestamp"]?.GetValue<string>(), StringComparer.Ordinal).ThenBy(Name, StringComparer.Ordinal))
        {
            if (diff <= 0)
            {
                break;
            }

            if (Int(old["spec"]?["replicas"]) == 0 && Int(old["status"]?["replicas"]) == 0)
            {
                store.Delete(ResourceCatalog.ReplicaSets, Namespace(old), Name(old));
                diff--;
            }
        }
    }

    private void UpdateStatus(JsonObject deployment, List<JsonObject> owned, bool paused)
    {
        var previous = deployment["status"] as JsonObject ?? [];
        var status = (JsonObject)previous.DeepClone();
        var newRs = FindNew(deployment, owned);
        var replicas = Int(deployment["spec"]?["replicas"]);
        var (_, maxUnavailable) = Limits(deployment);
        var total = owned.Sum(rs => Int(rs["status"]?["replicas"]));
        var updated = newRs is null ? 0 : Int(newRs["status"]?["replicas"]);
        var ready = owned.Sum(rs => Int(rs["status"]?["readyReplicas"]));
        var available = owned.Sum(rs => Int(rs["status"]?["availableReplicas"]));
        var specTotal = owned.Sum(rs => Int(rs["spec"]?["replicas"]));
        status["observedGeneration"] = Generation(deployment);
        SetCount(status, "replicas", total);
        SetCount(status, "updatedReplicas", updated);
        SetCount(status, "readyReplicas", ready);
        SetCount(status, "availableReplicas", available);
        SetCount(status, "unavailableReplicas", Math.Max(0, specTotal - available));

        var now = time.GetUtcNow();
        var conditions = new DeploymentConditions(status, now);
        if (available >= replicas - maxUnavailable)
        {
            conditions.Set("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.");
        }
        else
        {
            conditions.Set("Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.");
        }

        if (paused)
        {
            if (conditions.Progressing?["reason"]?.GetValue<string>() != "ProgressDeadlineExceeded")
            {
                conditions.Set("Progressing", "Unknown", "DeploymentPaused", "Deployment is paused");
            }
        }
        else if (!HasProgressDeadline(deployment))
        {
            conditions.Remove("Progressing");
        }
        else if (newRs is not null && !(total == updated && conditions.Progressing?["reason"]?.GetValue<string>() == "NewReplicaSetAvailable"))
        {
            var rsName = Name(newRs);
            var oldReplicas = Int(previous["replicas"]) - Int(previous["updatedReplicas"]);
            if (updated == replicas && total == replicas && available == replicas)
            {
                conditions.Set("Progressing", "True", "NewReplicaSetAvailable", $"ReplicaSet \"{rsName}\" has successfully progressed.", bumpUpdate: true);
            }
            else if (updated > Int(previous["updatedReplicas"]) || total - updated < oldReplicas
                     || ready > Int(previous["readyReplicas"]) || available > Int(previous["availableReplicas"]))
            {
                conditions.Set("Progressing", "True", "ReplicaSetUpdated", $"ReplicaSet \"{rsName}\" is progressing.", bumpUpdate: true);
            }
            else if (conditions.TimedOut(deployment["spec"]!["progressDeadlineSeconds"]!.GetValue<int>()))
            {
                conditions.Set("Progressing", "False", "ProgressDeadlineExceeded", $"ReplicaSet \"{rsName}\" has timed out progressing.");
            }
        }

        if (!JsonNode.DeepEquals(status, previous))
        {
            deployment["status"] = status;
            store.Update(ResourceCatalog.Deployments, Namespace(deployment), Name(deployment), deployment, statusOnly: true);
        }
    }
}
