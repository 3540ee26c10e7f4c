using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Watchdog.Kubernetes;

internal sealed class EventSource
{
    [JsonPropertyName("component")]
    public string? Component { get; set; }

    [JsonPropertyName("host")]
    public string? Host { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unmodelled { get; set; }
}
