using System.Text.Json.Serialization;

namespace Watchdog.Kubernetes;

internal sealed class ConfigMap : KubernetesObject
{
    [JsonPropertyName("data")]
    public Dictionary<string, string>? Data { get; set; }
}
