using System.Text.Json.Serialization;

namespace Watchdog.Kubernetes;

/// <summary>client.authentication.k8s.io/v1 ExecCredential: what an exec plugin prints (and receives in KUBERNETES_EXEC_INFO).</summary>
public sealed class ExecCredential
{
    [JsonPropertyName("kind")]
    public string? Kind { get; set; }

    [JsonPropertyName("apiVersion")]
    public string? ApiVersion { get; set; }

    [JsonPropertyName("spec")]
    public ExecCredentialSpec? Spec { get; set; }

    [JsonPropertyName("status")]
    public ExecCredentialStatus? Status { get; set; }
}
