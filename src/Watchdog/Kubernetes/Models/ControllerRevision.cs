using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Watchdog.Kubernetes;

public sealed class ControllerRevision : KubernetesObject
{
    /// <summary>The raw patch kubectl sends back verbatim on undo.</summary>
    [JsonPropertyName("data")]
    public JsonNode? Data { get; set; }

    [JsonPropertyName("revision")]
    public long Revision { get; set; }
}
