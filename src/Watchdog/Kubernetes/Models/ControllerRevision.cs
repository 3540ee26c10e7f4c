using System.Text.Json;
using System.Text.Json.Serialization;

namespace Watchdog.Kubernetes;

internal sealed class ControllerRevision : KubernetesObject
{
    /// <summary>
    /// The patch kubectl sends back verbatim on undo. An element, not a node: its raw text is the bytes kubectl
    /// compares with the live template (<see cref="JsonElement.GetRawText"/>).
    /// </summary>
    [JsonPropertyName("data")]
    public JsonElement? Data { get; set; }

    [JsonPropertyName("revision")]
    public long Revision { get; set; }
}
