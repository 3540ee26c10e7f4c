using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Watchdog.Kubernetes;

internal sealed class ServiceSpec
{
    [JsonPropertyName("selector")]
    public Dictionary<string, string>? Selector { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unmodelled { get; set; }
}
