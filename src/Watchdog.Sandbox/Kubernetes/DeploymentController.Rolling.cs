using System.Globalization;
using System.Text.Json.Nodes;
using static Watchdog.Sandbox.Kubernetes.Workloads;

namespace Watchdog.Sandbox.Kubernetes;

/// <summary>One rolling-update action per sync (spec §4.4): scale the new ReplicaSet up or the old ones down within maxSurge/maxUnavailable.</summary>
internal sealed partial class DeploymentController
{
    /// <summary>One rolling step: scale the new ReplicaSet up, else the old ones down. True when something was scaled.</summary>
    private bool Rollout(JsonObject deployment, List<JsonObject> owned, string newName)
    {
        var replicas = Int(deployment["spec"]?["replicas"]);
        var (surge, unavailable) = Limits(deployment);
        var newRs = owned.First(rs => Name(rs) == newName);
        var olds = owned.Where(rs => Name(rs) != newName).ToList();
        var newReplicas = Int(newRs["spec"]?["replicas"]);
        var activeOlds = olds.Where(rs => Int(rs["spec"]?["replicas"]) > 0).ToList();
        var recreate = deployment["spec"]?["strategy"]?["type"]?.GetValue<string>() == "Recreate";

        if (activeOlds.Count == 0 || recreate)
        {
            var any = false;
            foreach (var old in activeOlds)
            {
                any |= Scale(old, 0, replicas, surge);
            }

            if (newReplicas != replicas || NeedsAnnotations(newRs, replicas, surge))
            {
                any |= Scale(newRs, replicas, replicas, surge);
            }

            return any;
        }

        var total = owned.Sum(rs => Int(rs["spec"]?["replicas"]));
        if (newReplicas < replicas)
        {
            var target = newReplicas + Math.Max(0, Math.Min(replicas + surge - total, replicas - newReplicas));
            if (target > newReplicas)
            {
                return Scale(newRs, target, replicas, surge);
            }
        }

        var newUnavailable = Math.Max(0, newReplicas - Int(newRs["status"]?["availableReplicas"]));
        var canRemove = total - (replicas - unavailable) - newUnavailable;
        var scaledDown = false;
        foreach (var old in activeOlds.OrderBy(Revision))
        {
            if (canRemove <= 0)
            {
                break;
            }

            var current = Int(old["spec"]?["replicas"]);
            var remove = Math.Min(current, canRemove);
            scaledDown |= Scale(old, current - remove, replicas, surge);
            canRemove -= remove;
        }

        return scaledDown;
    }

    private static bool NeedsAnnotations(JsonObject rs, int replicas, int surge) =>
        rs["metadata"]?["annotations"]?[DesiredReplicasAnnotation]?.GetValue<string>() != replicas.ToString(CultureInfo.InvariantCulture)
        || rs["metadata"]?["annotations"]?[MaxReplicasAnnotation]?.GetValue<string>() != (replicas + surge).ToString(CultureInfo.InvariantCulture);

    private bool Scale(JsonObject rs, int to, int replicas, int surge)
    {
        var annotations = Annotations(rs);
        annotations[DesiredReplicasAnnotation] = replicas.ToString(CultureInfo.InvariantCulture);
        annotations[MaxReplicasAnnotation] = (replicas + surge).ToString(CultureInfo.InvariantCulture);
        rs["spec"]!["replicas"] = to;
        store.Update(ResourceCatalog.ReplicaSets, Namespace(rs), Name(rs), rs);
        return true;
    }

    private static (int Surge, int Unavailable) Limits(JsonObject deployment)
    {
        var replicas = Int(deployment["spec"]?["replicas"]);
        if (deployment["spec"]?["strategy"]?["type"]?.GetValue<string>() == "Recreate")
        {
            return (0, 0);
        }

        var rolling = deployment["spec"]?["strategy"]?["rollingUpdate"];
        var surge = Resolve(rolling?["maxSurge"] ?? "25%", replicas, roundUp: true);
        var unavailable = Resolve(rolling?["maxUnavailable"] ?? "25%", replicas, roundUp: false);
        if (surge == 0 && unavailable == 0)
        {
            unavailable = 1;
        }

        return (surge, Math.Min(unavailable, replicas));
    }

    private static bool IsComplete(JsonObject deployment)
    {
        var replicas = Int(deployment["spec"]?["replicas"]);
        var status = deployment["status"];
        return Int(status?["updatedReplicas"]) == replicas && Int(status?["replicas"]) == replicas
            && Int(status?["availableReplicas"]) == replicas && (status?["observedGeneration"]?.GetValue<long>() ?? 0) >= Generation(deployment);
    }

    private static bool HasProgressDeadline(JsonObject deployment) =>
        deployment["spec"]?["progressDeadlineSeconds"] is JsonValue v && v.TryGetValue<int>(out var s) && s != int.MaxValue;
}
