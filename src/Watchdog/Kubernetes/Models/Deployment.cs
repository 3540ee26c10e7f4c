using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Watchdog.Kubernetes;

internal sealed class Deployment : KubernetesObject
{
    [JsonPropertyName("spec")]
    public DeploymentSpec Spec { get; set; } = new();

    /// <summary>Kept whole: rollout-wait reads conditions from it; nothing here writes it.</summary>
    [JsonPropertyName("status")]
    public JsonObject? Status { get; set; }
}
