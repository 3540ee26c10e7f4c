using System.Text.Json.Nodes;
using static Watchdog.Sandbox.Kubernetes.Workloads;

namespace Watchdog.Sandbox.Kubernetes;

/// <summary>
/// The StatefulSet side of spec §2: the ControllerRevision history (<see cref="ControllerRevisionRecorder"/>) and a
/// status with every replica ready at once and current/update revision names.
/// </summary>
internal sealed class StatefulSetController(ObjectStore store)
{
    private readonly ControllerRevisionRecorder _revisions = new(store);

    public void Sync(JsonObject sts)
    {
        if (_revisions.Record(sts, "StatefulSet") is not { } current)
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
        status["currentRevision"] = Name(current);
        status["updateRevision"] = Name(current);
        status["collisionCount"] = 0;
        if (!JsonNode.DeepEquals(status, previous))
        {
            sts["status"] = status;
            store.Update(ResourceCatalog.StatefulSets, Namespace(sts), Name(sts), sts, statusOnly: true);
        }
    }
}
