using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Watchdog.Kubernetes;

internal sealed class ScaleSpec
{
    [JsonPropertyName("replicas")]
    public int? Replicas { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unmodelled { get; set; }
}
