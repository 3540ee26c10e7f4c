using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Watchdog.Kubernetes;

internal sealed class ReplicaSet : KubernetesObject
{
    [JsonPropertyName("spec")]
    public ReplicaSetSpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    public JsonObject? Status { get; set; }
}
