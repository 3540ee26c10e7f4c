using System.Text.Json.Serialization;

namespace Watchdog.Kubernetes;

public sealed class ExecCredentialSpec
{
    [JsonPropertyName("interactive")]
    public bool Interactive { get; set; }
}
