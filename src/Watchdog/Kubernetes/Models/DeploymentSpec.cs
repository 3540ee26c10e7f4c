using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Watchdog.Kubernetes;

internal sealed class DeploymentSpec
{
    [JsonPropertyName("replicas")]
    public int? Replicas { get; set; }

    [JsonPropertyName("selector")]
    public LabelSelector? Selector { get; set; }

    /// <summary>The pod template as the server sent it, so a patch writes back exactly what it read.</summary>
    [JsonPropertyName("template")]
    public JsonObject? Template { get; set; }

    [JsonPropertyName("paused")]
    public bool? Paused { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unmodelled { get; set; }
}
