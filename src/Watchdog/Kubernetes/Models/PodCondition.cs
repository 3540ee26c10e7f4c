using System.Text.Json;
using System.Text.Json.Serialization;

namespace Watchdog.Kubernetes;

/// <summary>One of a Pod's <c>status.conditions</c>: <c>Ready</c>, <c>ContainersReady</c>, <c>PodScheduled</c>, ... with <c>True</c>/<c>False</c>/<c>Unknown</c>.</summary>
internal sealed class PodCondition
{
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("status")]
    public string? Status { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unmodelled { get; set; }
}
