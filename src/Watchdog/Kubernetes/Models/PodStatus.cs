using System.Text.Json;
using System.Text.Json.Serialization;

namespace Watchdog.Kubernetes;

internal sealed class PodStatus
{
    [JsonPropertyName("phase")]
    public string? Phase { get; set; }

    [JsonPropertyName("conditions")]
    public List<PodCondition>? Conditions { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unmodelled { get; set; }
}
