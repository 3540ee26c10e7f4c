using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Watchdog.Kubernetes;

/// <summary>autoscaling/v1 Scale, the <c>scale</c> subresource.</summary>
internal sealed class Scale : KubernetesObject
{
    [JsonPropertyName("spec")]
    public ScaleSpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    public JsonObject? Status { get; set; }
}
