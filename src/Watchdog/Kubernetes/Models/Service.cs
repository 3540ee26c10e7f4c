using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Watchdog.Kubernetes;

internal sealed class Service : KubernetesObject
{
    [JsonPropertyName("spec")]
    public ServiceSpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    public JsonObject? Status { get; set; }
}
