using System.Text.Json.Nodes;

namespace Watchdog.Actions.Kubernetes;

/// <summary>
/// What tells two reads of a workload apart where it matters for a decision on its history: the generation (which the
/// API server bumps on every change to the spec, and for a Deployment to its annotations), the generation its
/// controller has acted on, and the spec itself (compared too, for a server that keeps no generation).
/// </summary>
internal sealed record WorkloadGeneration(long Generation, long ObservedGeneration, JsonNode? Spec)
{
    /// <summary>From the object's JSON; a missing number is 0.</summary>
    public static WorkloadGeneration Of(JsonNode? workload) =>
        new(Number(workload?["metadata"]?["generation"]), Number(workload?["status"]?["observedGeneration"]), workload?["spec"]);

    /// <summary>
    /// The controller has acted on the latest spec: a Deployment's ReplicaSet (a StatefulSet's or DaemonSet's
    /// ControllerRevision) for it exists and the revision numbers are final. Before that, the newest may be missing.
    /// </summary>
    public bool IsObserved => ObservedGeneration >= Generation;

    /// <summary>Nobody changed what the workload should be between the two reads; its controller may have written its status.</summary>
    public bool SameDesiredStateAs(WorkloadGeneration other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Generation == other.Generation && JsonNode.DeepEquals(Spec, other.Spec);
    }

    private static long Number(JsonNode? node) => node is JsonValue value && value.TryGetValue<long>(out var number) ? number : 0;
}
