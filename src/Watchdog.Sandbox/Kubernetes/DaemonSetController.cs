using System.Text.Json.Nodes;
using static Watchdog.Sandbox.Kubernetes.Workloads;

namespace Watchdog.Sandbox.Kubernetes;

/// <summary>
/// The DaemonSet side of spec §2 on a cluster of <c>nodes</c> identical nodes: the ControllerRevision history
/// (<see cref="ControllerRevisionRecorder"/>) and a status that rolls a new template out node by node. A new DaemonSet
/// starts on every node at once; a template change replaces <c>maxUnavailable</c> pods per sync (RollingUpdate), each
/// unavailable until the next sync, so <c>kubectl rollout status ds</c> sees both of its waiting states; with OnDelete
/// no pod is replaced (none is ever deleted here), as on a real cluster.
/// </summary>
internal sealed class DaemonSetController(ObjectStore store, int nodes)
{
    private readonly ControllerRevisionRecorder _revisions = new(store);

    // Per DaemonSet uid: the revision its pods are moving to, how many run it, how many of those are still starting.
    // Real pods would carry this as their controller-revision-hash label; the simulator keeps no DaemonSet pods.
    private readonly Dictionary<string, (string Revision, int Updated, int Starting)> _rollouts = [];

    public void Sync(JsonObject ds)
    {
        if (_revisions.Record(ds, "DaemonSet") is not { } current)
        {
            return;
        }

        var rollout = Step(ds, Name(current));
        var previous = ds["status"] as JsonObject ?? [];
        var ready = nodes - rollout.Starting;
        var status = new JsonObject
        {
            // Go writes these four even when zero (no omitempty in DaemonSetStatus).
            ["currentNumberScheduled"] = nodes,
            ["numberMisscheduled"] = 0,
            ["desiredNumberScheduled"] = nodes,
            ["numberReady"] = ready,
        };
        SetCount(status, "observedGeneration", Generation(ds));
        SetCount(status, "updatedNumberScheduled", rollout.Updated);
        SetCount(status, "numberAvailable", ready);
        SetCount(status, "numberUnavailable", rollout.Starting);
        if (!JsonNode.DeepEquals(status, previous))
        {
            ds["status"] = status;
            store.Update(ResourceCatalog.DaemonSets, Namespace(ds), Name(ds), ds, statusOnly: true);
        }
    }

    private (string Revision, int Updated, int Starting) Step(JsonObject ds, string revision)
    {
        var uid = Uid(ds);
        if (!_rollouts.TryGetValue(uid, out var rollout))
        {
            rollout = (revision, nodes, 0);
        }
        else if (rollout.Revision != revision)
        {
            rollout = (revision, 0, 0);
        }

        // Pods started in the last sync are ready now; then the next batch is replaced.
        rollout.Starting = 0;
        var strategy = ds["spec"]?["updateStrategy"];
        if (rollout.Updated < nodes && strategy?["type"]?.GetValue<string>() == "RollingUpdate")
        {
            var batch = Math.Max(1, Resolve(strategy["rollingUpdate"]?["maxUnavailable"] ?? 1, nodes, roundUp: true));
            rollout.Starting = Math.Min(batch, nodes - rollout.Updated);
            rollout.Updated += rollout.Starting;
        }

        _rollouts[uid] = rollout;
        return rollout;
    }
}
