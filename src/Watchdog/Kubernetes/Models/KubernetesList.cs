using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Watchdog.Kubernetes;

/// <summary>A LIST answer; its items carry no kind or apiVersion of their own.</summary>
internal sealed class KubernetesList<T>
{
    [JsonPropertyName("apiVersion")]
    public string? ApiVersion { get; set; }

    [JsonPropertyName("kind")]
    public string? Kind { get; set; }

    [JsonPropertyName("metadata")]
    public ListMeta Metadata { get; set; } = new();

    [JsonPropertyName("items")]
    public List<T> Items { get; set; } = [];

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unmodelled { get; set; }
}
