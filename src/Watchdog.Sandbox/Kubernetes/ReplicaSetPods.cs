using System.Text.Json.Nodes;
using static Watchdog.Sandbox.Kubernetes.Workloads;

namespace Watchdog.Sandbox.Kubernetes;

/// <summary>
/// Stands in for the ReplicaSet controller and the kubelet: pods exist as counts in each ReplicaSet's status and become
/// ready one sync after they are asked for, unless their Deployment is marked as failing (then new pods never get ready).
/// </summary>
internal sealed class ReplicaSetPods(ObjectStore store)
{
    public void Sync(JsonObject rs, bool neverReady)
    {
        var desired = Int(rs["spec"]?["replicas"]);
        var previous = rs["status"] as JsonObject ?? [];
        var ready = neverReady ? Math.Min(Int(previous["readyReplicas"]), desired) : desired;
        var status = new JsonObject { ["replicas"] = desired };
        if (desired > 0)
        {
            status["fullyLabeledReplicas"] = desired;
        }

        SetCount(status, "readyReplicas", ready);
        SetCount(status, "availableReplicas", ready);
        status["observedGeneration"] = Generation(rs);
        SetCount(status, "replicas", desired);
        if (!JsonNode.DeepEquals(status, previous))
        {
            rs["status"] = status;
            store.Update(ResourceCatalog.ReplicaSets, Namespace(rs), Name(rs), rs, statusOnly: true);
        }
    }
}
