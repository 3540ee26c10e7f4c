using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Watchdog.Kubernetes;

/// <summary>A Pod as far as Watchdog reads one: whether it is Ready, the condition the endpoints controller goes by.</summary>
internal sealed class Pod : KubernetesObject
{
    [JsonPropertyName("spec")]
    public JsonObject? Spec { get; set; }

    [JsonPropertyName("status")]
    public PodStatus? Status { get; set; }
}
