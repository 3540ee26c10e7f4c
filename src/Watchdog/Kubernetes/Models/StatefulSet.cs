using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Watchdog.Kubernetes;

/// <summary>A StatefulSet (or, with the same shape where it matters, a DaemonSet): selector and template.</summary>
internal sealed class StatefulSet : KubernetesObject
{
    [JsonPropertyName("spec")]
    public ReplicaSetSpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    public JsonObject? Status { get; set; }
}
